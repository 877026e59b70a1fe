"""The observe -> diff -> act loop every Kubernetes controller runs.

The point of the picture is that the loop has no exit: after acting, the controller goes
back to observing, and a wake-up (watch event, resync, requeue timer) only says *when* to
look again, never *what* changed.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import Deploy, Pod
from diagrams.k8s.controlplane import API
from diagrams.k8s.others import CRD
from diagrams.programming.flowchart import Action, Decision, Inspection

with Diagram("Observe, diff, act", direction="LR"):
    api = API("API server")

    with Cluster("Desired state"):
        spec = CRD("StaticSite .spec")

    with Cluster("Observed state"):
        children = [Deploy("Deployment"), Pod("Pods")]

    with Cluster("Controller (one reconcile)"):
        observe = Inspection("observe\n(read cache)")
        diff = Decision("diff\ndesired vs observed")
        act = Action("act\n(create/update/delete)")

    spec >> Edge(label="read") >> observe
    for child in children:
        child >> Edge(label="read") >> observe
    observe >> diff
    diff >> Edge(label="differs") >> act
    diff >> Edge(label="equal: wait\nfor next trigger", style="dashed") >> observe
    act >> Edge(label="writes") >> api
    api >> Edge(label="watch event, resync,\nrequeue timer", style="dashed") >> observe
