"""Where an operator runs: an ordinary Deployment that talks only to the API server.

The operator never touches etcd and is not part of the control plane; it watches its
custom resource and writes child objects (or calls an external system) through the API.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.generic.storage import Storage
from diagrams.k8s.compute import Deploy, Pod
from diagrams.k8s.controlplane import API, CM
from diagrams.k8s.infra import ETCD
from diagrams.k8s.network import SVC
from diagrams.k8s.others import CRD
from diagrams.onprem.client import User

with Diagram("An operator next to the control plane", direction="LR"):
    user = User("kubectl apply\nStaticSite")

    with Cluster("Control plane"):
        api = API("kube-apiserver")
        etcd = ETCD("etcd")
        kcm = CM("kube-controller-manager\n(built-in controllers, GC)")

    with Cluster("Ordinary workloads, outside the control plane"):
        with Cluster("operator namespace"):
            operator = Deploy("operator\n(Deployment)")
        with Cluster("app namespace"):
            site = CRD("StaticSite blog\n(custom resource)")
            deploy = Deploy("Deployment blog")
            pods = Pod("Pods")
            svc = SVC("Service blog")

    external = Storage("external system\n(DNS, bucket, cloud API)")

    user >> Edge(label="create/update") >> api
    api - Edge(label="the only etcd client") - etcd
    kcm >> Edge(style="dashed") >> api
    (
        operator
        >> Edge(
            label="list/watch StaticSites and children;\ncreate/patch children, write status",
            color="firebrick",
        )
        >> api
    )
    operator >> Edge(label="direct control", style="dotted") >> external
    deploy >> Edge(label="ownerReference", style="dashed") >> site
    svc >> Edge(label="ownerReference", style="dashed") >> site
    deploy >> pods
    svc >> Edge(style="dashed") >> pods
