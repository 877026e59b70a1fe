"""How `kind load docker-image` moves an image from the host into every kind node.

Two separate image stores are involved: the host's Docker daemon and, inside each node
container, containerd's `k8s.io` namespace, the only one the kubelet sees through CRI.
kind bridges them with `docker save` and one `ctr images import` per node; a node it skips
(wrong cluster name, `--nodes`) simply never has the image.
"""

from _style import cluster, diagram, edge
from diagrams.generic.storage import Storage
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd, Docker
from diagrams.onprem.network import Internet

# Top to bottom, the host above the two nodes: legible in the post column (no title inside:
# the caption says it).
with diagram(graph_attr={"ranksep": "0.6", "nodesep": "0.4", "splines": "spline"}):
    with cluster("Host"):
        dockerd = Docker("host Docker daemon\nimage store\n(docker build)")
        archive = Storage("images.tar\n(docker save -o)")

    hub = Internet("docker.io\n(only when the\npolicy says pull)")

    nodes = []
    for node in ("dev-control-plane", "dev-worker"):
        with cluster(f"node container\n{node}"):
            store = Containerd("containerd\nnamespace k8s.io")
            kubelet = Kubelet("kubelet")
            pod = Pod("pod\nimage: app:v1")
            # drawn upwards: the kubelet calls containerd, which sits above it in the picture
            store << edge("CRI") << kubelet
            kubelet >> edge("starts") >> pod
            nodes.append((store, kubelet))

    dockerd >> edge("1. docker image inspect\n2. docker save") >> archive
    # The exact command is in the post; the label keeps the part that names the destination.
    import_cmd = "3. per node,\nvia docker exec:\nctr --namespace=k8s.io\nimages import"
    for index, (store, kubelet) in enumerate(nodes):
        label = import_cmd if index == 0 else ""
        archive >> edge(label, color="firebrick") >> store
        kubelet >> edge(style="dashed", color="gray") >> hub
