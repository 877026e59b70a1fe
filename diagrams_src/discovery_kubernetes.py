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
DATA = "black"

with Diagram("Discovery in Kubernetes - registry, registrar, per-node proxy", direction="LR"):
    with Cluster("control plane"):
        api = API("kube-apiserver\n(the registry:\nServices, EndpointSlices)")
        etcd = ETCD("etcd")
        controller = CM("kube-controller-manager\nEndpointSlice controller\n(the registrar)")

    dns = Coredns("CoreDNS\nweb -> ClusterIP")

    with Cluster("node A"):
        client = Pod("client pod\nconnect web:80")
        proxy_a = KProxy("kube-proxy\n(iptables / ipvs /\nnftables rules)")

    with Cluster("node B"):
        kubelet_b = Kubelet("kubelet\n(reports Ready)")
        backends = [Pod("web-1"), Pod("web-2")]
        proxy_b = KProxy("kube-proxy")

    api - Edge(style="dotted") - etcd
    kubelet_b >> Edge(label="pod status", color=WRITE, fontcolor=WRITE) >> api
    (
        controller
        >> Edge(label="watch Pods, Services;\nwrite EndpointSlices", color=WRITE, fontcolor=WRITE)
        >> api
    )
    proxy_a >> Edge(label="watch Services,\nEndpointSlices", color=WATCH, fontcolor=WATCH) >> api
    proxy_b >> Edge(color=WATCH) >> api
    dns >> Edge(label="watch", color=WATCH, fontcolor=WATCH) >> api

    client >> Edge(label="1. A web.default.svc", style="dashed") >> dns
    (
        client
        >> Edge(label="2. SYN to ClusterIP:80,\nDNAT on node A\nto one pod", color=DATA)
        >> backends[0]
    )
