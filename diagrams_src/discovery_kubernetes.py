"""Kubernetes splits discovery between the control plane and every node.

The API server is the registry, the EndpointSlice controller is the third-party registrar
(pods never register themselves), and kube-proxy on every node turns each Service's virtual
IP into a per-connection choice of pod. CoreDNS is itself behind a Service: the client's query
to 10.96.0.10 goes through the same node-local rules as its connection to web's ClusterIP.
Every consumer learns about changes through a watch, not by polling.

Top to bottom, few nodes per rank, 15-16 px text: legible at the post column's width. No
title in the image (the caption says it).

Icons mark only the pods and the user (what kind of thing a node is matters there); the
Kubernetes components are labelled boxes: their icons are the same blue heptagon at this size,
and the post's four diagrams share one first load (_style.py, "Light by default").
"""

import _style
from _style import icon, record, step
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.onprem.dns import Coredns

LABEL = "15"  # edge and group labels; node labels are 16


def act(label: str):
    return _style.act(label, fontsize=LABEL)


def flow(label: str):
    return _style.flow(label, fontsize=LABEL)


def watch(label: str = "watch"):
    return _style.watch(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.7", "ranksep": "0.9", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    with Cluster("control plane", graph_attr={"fontsize": LABEL}):
        controller = step("EndpointSlice\ncontroller\n(registrar)")
        api = step("kube-apiserver\n(registry)")

    with Cluster("node A", graph_attr={"fontsize": LABEL}):
        client = icon(Pod, "client pod")
        proxy_a = step("kube-proxy")
        rules = record("kernel rules for\nevery ClusterIP")

    with Cluster("node B", graph_attr={"fontsize": LABEL}):
        kubelet_b = step("kubelet")
        dns = icon(Coredns, "CoreDNS pod")
        web_1 = icon(Pod, "web pod")

    controller >> act("writes\nEndpointSlices") >> api
    kubelet_b >> act("pod Ready?") >> api
    api >> watch() >> proxy_a
    api >> watch() >> dns
    proxy_a >> act("programs") >> rules
    client >> flow("1. A? web\nto 10.96.0.10:53") >> rules
    client >> flow("2. connect to\nweb's ClusterIP") >> rules
    rules >> flow("1. to one\nCoreDNS pod") >> dns
    rules >> flow("2. to one\nweb pod") >> web_1
