"""How `kind load docker-image` moves an image from the host into the nodes of one cluster.

Follows kind v0.32.0's pkg/cmd/kind/load/docker-image/docker-image.go and
pkg/cluster/nodeutils/util.go: the host must know the name (`docker image inspect`), each
node's CRI is asked which tags the image ID already has (skip, re-tag with `ctr images tag`, or
load), one `docker save` archive is streamed into `ctr images import` on every selected node,
and the kubelet finds the result through CRI in containerd's `k8s.io` namespace.

Top to bottom, one node drawn for all of them, 15-16 px text: legible at the column's width.
"""

import _style
from _style import decision, icon, record, terminal
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd, Docker

LABEL = "15"
CLUSTER = {**_style.QUIET_CLUSTER, "fontsize": LABEL}


def step(label: str = ""):
    return _style.flow(label, fontsize=LABEL)


def change(label: str = ""):
    return _style.act(label, fontsize=LABEL)


def ask(label: str, **attrs: str):
    return _style.watch(label, fontsize=LABEL, **attrs)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.6", "ranksep": "0.8", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    with Cluster("on the host", graph_attr=CLUSTER):
        dockerd = icon(Docker, "Docker daemon\n(docker build)")
        known = decision("docker image\ninspect: name\nknown?")
        missing = terminal("error: not\npresent locally")

    with Cluster("for each node of the cluster (--name, --nodes)", graph_attr=CLUSTER):
        tags = decision("crictl inspecti:\ntags of this\nimage ID?")
        skip = terminal("skip: already\npresent")
        retag = _style.step("re-tag: ctr\nimages tag --force")

    # Saved on the host once, after the checks, for all the nodes that need it.
    with Cluster("on the host, once", graph_attr=CLUSTER):
        archive = record("images.tar\n(docker save)")

    with Cluster("inside each selected node", graph_attr=CLUSTER):
        store = icon(Containerd, "containerd\nnamespace k8s.io")
        kubelet = icon(Kubelet, "kubelet")
        pod = icon(Pod, "pod")

    dockerd >> step() >> known
    known >> change("no") >> missing
    known >> step("yes: its ID") >> tags
    tags >> step("this name") >> skip
    tags >> step("other names") >> retag
    tags >> step("none: load") >> archive
    retag >> change() >> store
    archive >> change("ctr images\nimport") >> store
    # Drawn downwards, pointing back: the kubelet asks containerd over CRI.
    store - ask("CRI", reverse=True) - kubelet
    kubelet >> step("starts") >> pod
