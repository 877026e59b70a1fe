"""kind's local-registry recipe: one registry container, two names for it.

The host pushes to `localhost:5001` (a port published on 127.0.0.1). Inside a node,
`localhost` is the node itself, so each node's containerd carries a `hosts.toml` that maps
`localhost:5001` to `http://kind-registry:5000`, reachable over the `kind` Docker network.
"""

from _style import cluster, diagram, edge
from diagrams.generic.storage import Storage
from diagrams.k8s.compute import Pod
from diagrams.k8s.podconfig import ConfigMap
from diagrams.onprem.client import Client, User
from diagrams.onprem.container import Containerd, Docker

# Top to bottom (host, then the kind network, then the API), no in-image title: legible in the
# post column.
with diagram(graph_attr={"splines": "spline", "nodesep": "0.6", "ranksep": "0.6"}):
    with cluster("Host"):
        dev = User("docker push\nlocalhost:5001/\napp:v1")
        dockerd = Docker("Docker daemon")
        tools = Client("Tilt, Skaffold,\n... (read the\nConfigMap)")

    with cluster("Docker network kind"):
        registry = Storage("container kind-registry\nregistry:3, port 5000")
        stores = []
        for node in ("dev-control-plane", "dev-worker"):
            with cluster(f"node {node}", margin="24"):  # room for the wide label
                store = Containerd(
                    "containerd\ncerts.d/\nlocalhost:5001/\nhosts.toml:\n"
                    '[host."http://\nkind-registry:5000"]'
                )
                pod = Pod("image: localhost:\n5001/app:v1")
                pod >> edge("kubelet\nasks for it") >> store
                stores.append(store)

    with cluster("Kubernetes API of cluster dev"):
        hosting = ConfigMap("ConfigMap kube-public/\nlocal-registry-hosting\nhost: localhost:5001")

    dev >> dockerd
    dockerd >> edge("127.0.0.1:5001 -> 5000\n(published port)", color="darkgreen") >> registry
    for index, store in enumerate(stores):
        label = "pull over the kind network\nhttp://kind-registry:5000" if index == 0 else ""
        store >> edge(label, color="firebrick") >> registry
    tools >> edge("discover where\nto push", style="dashed") >> hosting
    registry >> edge(style="invis") >> hosting  # the API below the network: a narrower picture
