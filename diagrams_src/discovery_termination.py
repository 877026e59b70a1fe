"""The termination race: deleting a pod starts two things at once.

The API server marks the pod as terminating. The kubelet on the pod's node runs the preStop
hook and then sends SIGTERM; in parallel the EndpointSlice controller flips the endpoint to
ready=false, terminating=true, and every kube-proxy (and any other proxy watching
EndpointSlices) drops it from new connections. Nothing orders the two branches, so without a
preStop pause the process can stop accepting before the last proxy has stopped choosing it.

Two columns, top to bottom, 15-16 px text: legible at the post column's width.

Icons mark only the pods and the user (what kind of thing a node is matters there); the
Kubernetes components are labelled boxes: their icons are the same blue heptagon at this size,
and the post's four diagrams share one first load (_style.py, "Light by default").
"""

import _style
from _style import icon, step
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.onprem.client import User

LABEL = "15"


def act(label: str):
    return _style.act(label, fontsize=LABEL)


def watch(label: str):
    return _style.watch(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "1.6", "ranksep": "0.8", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    user = icon(User, "kubectl delete\npod web-1")
    api = step("kube-apiserver")

    with Cluster("web-1's node", graph_attr={"fontsize": LABEL}):
        kubelet = step("kubelet")
        pod = icon(Pod, "web-1")

    controller = step("EndpointSlice\ncontroller")
    proxy = step("kube-proxy\non every node")

    user >> act("t = 0: mark\nterminating") >> api
    api >> watch("branch 1") >> kubelet
    kubelet >> act("1. preStop hook\n2. SIGTERM") >> pod
    api >> watch("branch 2") >> controller
    controller >> act("ready=false,\nterminating=true") >> proxy
