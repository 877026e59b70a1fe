"""What a headless Service changes: DNS answers with pod IPs and no proxy is involved.

A normal Service gets one A record (its ClusterIP) and kube-proxy picks a pod per connection.
With clusterIP: None the A query returns one record per ready endpoint; the client chooses,
caches and reconnects on its own, which is client-side discovery again.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import Pod
from diagrams.k8s.network import SVC
from diagrams.onprem.dns import Coredns

with Diagram(
    "A headless Service returns the pods", direction="LR", graph_attr={"splines": "spline"}
):
    client = Pod("client pod")
    dns = Coredns("CoreDNS")

    with Cluster("web (ClusterIP 10.96.0.42)"):
        svc = SVC("A web ->\n10.96.0.42 only")

    with Cluster("web-headless (clusterIP: None)"):
        headless = SVC("A web-headless ->\n10.244.1.5\n10.244.2.7\n10.244.2.9")
        pods = [Pod("10.244.1.5"), Pod("10.244.2.7"), Pod("10.244.2.9")]

    client >> Edge(label="A? web-headless", style="dashed") >> dns
    dns >> Edge(label="one record per\nready endpoint", style="dashed") >> headless
    dns >> Edge(label="one record", style="dotted") >> svc
    client >> Edge(label="client picks, connects\ndirectly (no kube-proxy)") >> pods[1]
    headless - Edge(style="dotted") - pods[0]
    headless - Edge(style="dotted") - pods[2]
