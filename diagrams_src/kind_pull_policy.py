"""The image pull policy: decided once by the API server, applied by the kubelet every start.

The left half is `SetDefaults_Container` (kubernetes pkg/apis/core/v1/defaults.go): it runs
only when the field is empty, at creation. The right half is what the kubelet does with the
stored value, which is why a loaded `app:latest` still fails with ErrImagePull.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.programming.flowchart import Action, Decision, StartEnd

# Curved edges keep each yes/no label next to its own arrow in a flowchart this dense.
with Diagram(
    "Which pull policy, and what the kubelet does with it",
    direction="LR",
    graph_attr={"splines": "spline"},
):
    created = StartEnd("Pod or template\ncreated")

    with Cluster("API server: defaulting, once, at creation"):
        is_set = Decision("imagePullPolicy\nset?")
        has_latest = Decision("tag is latest,\nor no tag and\nno digest?")
        always = Action("Always")
        if_not_present = Action("IfNotPresent")
        keep = Action("keep what\nthe manifest says")

    with Cluster("kubelet: every container start"):
        resolve = Decision("Always: registry\nresolves the name?")
        present = Decision("IfNotPresent:\nimage on this node?")
        never = Decision("Never:\nimage on this node?")
        run = StartEnd("start container")
        pull = Action("pull from\nregistry")
        err_pull = StartEnd("ErrImagePull,\nthen ImagePullBackOff")
        err_never = StartEnd("ErrImageNeverPull")

    created >> is_set
    is_set >> Edge(label="yes") >> keep
    is_set >> Edge(label="no") >> has_latest
    has_latest >> Edge(label="yes") >> always
    has_latest >> Edge(label="no (other tag,\nor digest only)") >> if_not_present

    always >> resolve
    if_not_present >> present
    keep >> Edge(style="dashed", label="Never") >> never
    resolve >> Edge(label="yes: use cached digest\nor pull it") >> run
    resolve >> Edge(label="no: image was\nonly loaded", color="firebrick") >> err_pull
    present >> Edge(label="yes") >> run
    present >> Edge(label="no") >> pull
    pull >> Edge(label="not found", color="firebrick") >> err_pull
    never >> Edge(label="yes") >> run
    never >> Edge(label="no", color="firebrick") >> err_never
