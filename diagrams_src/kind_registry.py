"""kind's local-registry recipe: one registry container, two names for it.

The host pushes to `localhost:5001` (a port published on 127.0.0.1). Inside a node,
`localhost` is the node itself, so each node's containerd carries a `hosts.toml` that maps
`localhost:5001` to `http://kind-registry:5000`, reachable over the `kind` Docker network.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.generic.storage import Storage
from diagrams.k8s.compute import Pod
from diagrams.k8s.podconfig import ConfigMap
from diagrams.onprem.client import Client, User
from diagrams.onprem.container import Containerd, Docker

with Diagram("A local registry for kind", direction="LR", graph_attr={"splines": "spline"}):
    with Cluster("Host"):
        dev = User("docker push\nlocalhost:5001/app:v1")
        dockerd = Docker("Docker daemon")
        tools = Client("Tilt, Skaffold, ...\n(read the ConfigMap)")

    with Cluster("Docker network kind"):
        registry = Storage("container kind-registry\nregistry:3, port 5000")
        stores = []
        for node in ("dev-control-plane", "dev-worker"):
            with Cluster(f"node {node}"):
                store = Containerd(
                    'containerd\ncerts.d/localhost:5001/hosts.toml:\n[host."http://kind-registry:5000"]'
                )
                pod = Pod("image:\nlocalhost:5001/app:v1")
                pod >> Edge(label="kubelet asks for\nlocalhost:5001/app:v1") >> store
                stores.append(store)

    with Cluster("Kubernetes API of cluster dev"):
        hosting = ConfigMap("ConfigMap kube-public/\nlocal-registry-hosting\nhost: localhost:5001")

    dev >> dockerd
    (
        dockerd
        >> Edge(label="127.0.0.1:5001 -> 5000\n(published port)", color="darkgreen")
        >> registry
    )
    for store in stores:
        (
            store
            >> Edge(
                label="pull over the kind network\nhttp://kind-registry:5000", color="firebrick"
            )
            >> registry
        )
    tools >> Edge(style="dashed", label="discover where to push") >> hosting
