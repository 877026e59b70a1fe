"""The client-go machinery between the API server and a controller's reconcile function.

Left of the work queue everything is shared library code that moves whole objects;
right of it the controller handles only keys and reads objects back from the cache.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.controlplane import API
from diagrams.programming.flowchart import (
    Action,
    Database,
    InternalStorage,
    PredefinedProcess,
    Preparation,
    Sort,
)

with Diagram("The client-go controller pipeline", direction="LR"):
    api = API("API server")

    with Cluster("client-go: shared informer (library code)"):
        reflector = PredefinedProcess("Reflector\nListAndWatch")
        fifo = Sort("DeltaFIFO\n(deltas per key)")
        informer = PredefinedProcess("Informer\nprocessLoop")
        indexer = Database("Indexer\nkey: namespace/name")

    with Cluster("Your controller"):
        handlers = Preparation("Event handlers\nAdd / Update / Delete")
        queue = InternalStorage("Work queue\n(keys, deduplicated,\nrate-limited)")
        workers = Action("Workers\nreconcile(key)")

    api >> Edge(label="LIST, then WATCH\nfrom resourceVersion") >> reflector
    reflector >> Edge(label="deltas") >> fifo
    fifo >> Edge(label="Pop") >> informer
    informer >> Edge(label="store object") >> indexer
    informer >> Edge(label="notify") >> handlers
    handlers >> Edge(label="Add(key)") >> queue
    queue >> Edge(label="Get / Done") >> workers
    workers >> Edge(label="lister: Get(key)", style="dashed") >> indexer
    workers >> Edge(label="writes go to\nthe API server", color="firebrick") >> api
