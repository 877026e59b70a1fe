"""kind's local-registry recipe: one registry container, two names for it.

The host pushes to `localhost:5001` (a port published on 127.0.0.1). Inside a node,
`localhost` is the node itself, so each node's containerd carries a `hosts.toml` that maps
`localhost:5001` to `http://kind-registry:5000`, reachable over the `kind` Docker network.
Only the worker is drawn pulling: kind keeps the control-plane taint in a multi-node cluster,
so ordinary pods, and their pulls, land on the worker.

Top to bottom, 15-16 px text: legible at the post column's width.
"""

import _style
from _style import icon, record, store
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.onprem.client import Client, User
from diagrams.onprem.container import Containerd, Docker

LABEL = "15"
CLUSTER = {**_style.QUIET_CLUSTER, "fontsize": LABEL}


def flow(label: str = ""):
    return _style.flow(label, fontsize=LABEL)


def ask(label: str):
    return _style.watch(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "1.2", "ranksep": "0.8", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    with Cluster("host", graph_attr=CLUSTER):
        dev = icon(User, "docker push\nlocalhost:5001/app:v1")
        dockerd = icon(Docker, "Docker daemon")
        tools = icon(Client, "Tilt and\nother tools")

    with Cluster("Docker network kind", graph_attr=CLUSTER):
        registry = store("container kind-registry\nregistry:3, port 5000")
        with Cluster("node dev-worker (where pods run)", graph_attr=CLUSTER):
            containerd = icon(
                Containerd, "containerd, hosts.toml:\nlocalhost:5001 is\nhttp://kind-registry:5000"
            )
            pod = icon(Pod, "pod, image:\nlocalhost:5001/app:v1")

    with Cluster("API of cluster dev", graph_attr=CLUSTER):
        hosting = record("kube-public/\nlocal-registry-hosting\nhost: localhost:5001")

    dev >> flow() >> dockerd
    dockerd >> flow("127.0.0.1:5001 to port 5000\n(published port)") >> registry
    registry >> flow("pulled over the\nkind network") >> containerd
    containerd >> flow("kubelet starts") >> pod
    tools >> ask("where to push?") >> hosting
