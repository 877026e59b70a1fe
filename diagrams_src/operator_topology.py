"""Where an operator runs, and where its objects live.

The operator is an ordinary Pod on a worker node, talking only to the API server with its
ServiceAccount's token. The custom resource and the children the reconciler creates (the
post's operator creates exactly a ConfigMap and a Deployment) are API objects stored in etcd,
not workloads; the children point at the StaticSite through ownerReferences, which is what the
garbage collector in kube-controller-manager follows. Only the site's Pods run next to the
operator.

Shown in the operator post, section "What an operator is". No title in the image: the caption
is it.
"""

import _style
from _style import icon, record, step
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User

GRAPH = {"label": "", "splines": "spline", "fontsize": "16", "nodesep": "0.8", "ranksep": "0.8"}
NODE = {"fontsize": "16"}
GROUP = {"fontsize": "16", "bgcolor": "#F4F6F8", "pencolor": "#C5CCD3"}


def flow(label="", **attrs):
    return _style.flow(label, fontsize="15", **attrs)


def act(label="", **attrs):
    return _style.act(label, fontsize="15", **attrs)


def watch(label="", **attrs):
    return _style.watch(label, fontsize="15", **attrs)


def optional(label="", **attrs):
    return _style.optional(label, fontsize="15", **attrs)


with Diagram(
    "An operator next to the control plane",
    direction="TB",
    graph_attr=GRAPH,
    node_attr=NODE,
):
    user = icon(User, "kubectl apply")

    with Cluster("worker nodes: ordinary Pods", graph_attr=GROUP):
        operator = icon(Pod, "operator Pod\n(ServiceAccount)")
        icon(Pod, "blog Pods, from\nthe Deployment")

    external = step("external system\n(DNS, cloud API)")

    with Cluster("control plane", graph_attr=GROUP):
        api = icon(API, "kube-apiserver")
        kcm = icon(CM, "kube-controller-\nmanager (GC)")
        etcd = icon(ETCD, "etcd")

    with Cluster("API objects in namespace web (stored in etcd)", graph_attr=GROUP):
        # records, not workloads: plain notes
        config = record("ConfigMap\nblog-content")
        deploy = record("Deployment\nblog")
        site = record("StaticSite\nblog")

    user >> act("StaticSite") >> api
    operator >> act("watch; apply\nchildren, status") >> api
    operator >> optional("direct control") >> external
    kcm >> watch("watch, delete\norphans") >> api
    api >> flow("the only\netcd client") >> etcd
    etcd >> flow("stores") >> config
    config >> watch("ownerReference") >> site
    deploy >> watch("ownerReference") >> site
