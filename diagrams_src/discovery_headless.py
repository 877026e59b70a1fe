"""What a headless Service changes: DNS answers with pod IPs and no proxy is involved.

A normal Service gets one A record (its ClusterIP) and kube-proxy picks a pod per connection.
With clusterIP: None the A query returns one record per ready endpoint; the client chooses,
caches and reconnects on its own, which is client-side discovery again.

Top to bottom with 15-16 px text, legible at the post column's width.
"""

import _style
from _style import icon, record
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.onprem.dns import Coredns

LABEL = "15"


def flow(label: str = ""):
    return _style.flow(label, fontsize=LABEL)


def ask(label: str):
    return _style.watch(label, fontsize=LABEL)


def optional(label: str = ""):
    return _style.optional(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.7", "ranksep": "0.9", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    client = icon(Pod, "client pod")
    dns = icon(Coredns, "CoreDNS")

    with Cluster("Service web", graph_attr={"fontsize": LABEL}):
        svc = record("ClusterIP\n10.96.0.42")

    with Cluster("Service web-headless (clusterIP: None)", graph_attr={"fontsize": LABEL}):
        headless = record("no ClusterIP")
        pods = [icon(Pod, ip) for ip in ("10.244.1.5", "10.244.2.7", "10.244.2.9")]

    client >> ask("A? web-headless") >> dns
    dns >> ask("one record\nper ready pod") >> headless
    dns >> optional("A? web: one\nrecord, the ClusterIP") >> svc
    headless >> optional() >> pods[0]
    headless >> optional() >> pods[1]
    headless >> optional() >> pods[2]
    client >> flow("picks one, connects\ndirectly (no kube-proxy)") >> pods[0]
