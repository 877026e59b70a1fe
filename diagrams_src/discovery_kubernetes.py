"""Kubernetes splits discovery between the control plane and every node.

The API server is the registry, the EndpointSlice controller is the third-party registrar
(pods never register themselves), and kube-proxy on every node turns each Service's virtual
IP into a per-connection choice of pod. CoreDNS is itself behind a Service: the client's query
to 10.96.0.10 goes through the same node-local rules as its connection to web's ClusterIP.
Every consumer learns about changes through a watch, not by polling.

Top to bottom, few nodes per rank, 15-16 px text: legible at the post column's width. No
title in the image (the caption says it).
"""

import _style
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, KProxy, Kubelet
from diagrams.k8s.network import SVC
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
        controller = CM("EndpointSlice\ncontroller\n(registrar)")
        api = API("kube-apiserver\n(registry)")

    with Cluster("node A", graph_attr={"fontsize": LABEL}):
        client = Pod("client pod")
        proxy_a = KProxy("kube-proxy")
        rules = SVC("kernel rules for\nevery ClusterIP")

    with Cluster("node B", graph_attr={"fontsize": LABEL}):
        kubelet_b = Kubelet("kubelet")
        dns = Coredns("CoreDNS pod")
        web_1 = Pod("web pod")

    controller >> act("writes\nEndpointSlices") >> api
    kubelet_b >> act("pod Ready?") >> api
    api >> watch() >> proxy_a
    api >> watch() >> dns
    proxy_a >> act("programs") >> rules
    client >> flow("1. A? web\nto 10.96.0.10:53") >> rules
    client >> flow("2. connect to\nweb's ClusterIP") >> rules
    rules >> flow("1. to one\nCoreDNS pod") >> dns
    rules >> flow("2. to one\nweb pod") >> web_1
