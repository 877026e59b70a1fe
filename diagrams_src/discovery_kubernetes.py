"""Kubernetes splits discovery between the control plane and every node.

The API server is the registry, the EndpointSlice controller is the third-party registrar
(pods never register themselves), and kube-proxy on every node turns the Service's virtual
IP into a per-connection choice of pod. CoreDNS only maps the name to the ClusterIP. Every
consumer learns about changes through a watch, not by polling.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, KProxy, Kubelet
from diagrams.k8s.infra import ETCD
from diagrams.onprem.dns import Coredns

WATCH = "royalblue"
WRITE = "seagreen"

with Diagram(
    "Discovery in Kubernetes - registry, registrar, per-node proxy",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.8", "ranksep": "1.1"},
):
    with Cluster("control plane"):
        controller = CM("EndpointSlice controller\n(the registrar)")
        api = API("kube-apiserver\n(the registry)")
        etcd = ETCD("etcd")

    dns = Coredns("CoreDNS\nweb -> ClusterIP")

    with Cluster("node A"):
        client = Pod("client pod")
        proxy_a = KProxy("kube-proxy\n(iptables, ipvs\nor nftables rules)")

    with Cluster("node B"):
        kubelet_b = Kubelet("kubelet\n(pod Ready?)")
        web_1 = Pod("web-1")
        web_2 = Pod("web-2")

    (
        controller
        >> Edge(label="watch Pods, Services\nwrite EndpointSlices", color=WRITE, fontcolor=WRITE)
        >> api
    )
    api - Edge(style="dotted") - etcd
    kubelet_b >> Edge(label="pod status", color=WRITE, fontcolor=WRITE) >> api
    api >> Edge(label="watch", color=WATCH, fontcolor=WATCH) >> dns
    api >> Edge(label="watch Services,\nEndpointSlices", color=WATCH, fontcolor=WATCH) >> proxy_a

    client >> Edge(label="1. A? web", style="dashed") >> dns
    proxy_a >> Edge(label="programs the\nnode's kernel", style="dotted") >> client
    client >> Edge(label="2. connect ClusterIP:80\nrewritten on node A\nto one pod IP") >> web_1
    client >> Edge(style="invis") >> web_2  # keeps both backends on one rank
