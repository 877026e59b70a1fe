"""The image pull policy: decided once by the API server, applied by the kubelet every start.

The left half is `SetDefaults_Container` (kubernetes pkg/apis/core/v1/defaults.go): it runs
only when the field is empty, at creation. The right half is what the kubelet does with the
stored value, which is why a loaded `app:latest` still fails with ErrImagePull.
"""

from _style import cluster, diagram, edge
from diagrams import Node

# Plain Graphviz shapes with the text inside them (flowchart icons put the label outside a
# bright empty shape, which the dark variant cannot re-ink); top to bottom, no in-image title.
_SHAPE = {"fixedsize": "false", "labelloc": "c", "width": "0", "height": "0", "margin": "0.12"}


def decision(label: str) -> Node:
    return Node(label, shape="diamond", style="filled", fillcolor="#FFF3D6", **_SHAPE)


def action(label: str) -> Node:
    return Node(label, shape="box", style="rounded,filled", fillcolor="#E3F2FD", **_SHAPE)


def terminal(label: str) -> Node:
    return Node(label, shape="box", style="rounded,filled,bold", fillcolor="#EDF7E4", **_SHAPE)


with diagram(graph_attr={"splines": "spline", "nodesep": "0.3", "ranksep": "0.45"}):
    created = terminal("Pod or template\ncreated")

    with cluster("API server: defaulting,\nonce, at creation"):
        is_set = decision("imagePullPolicy\nset?")
        has_latest = decision("tag is latest,\nor no tag and\nno digest?")
        always = action("Always")
        if_not_present = action("IfNotPresent")
        keep = action("keep what\nthe manifest says")

    with cluster("kubelet: every\ncontainer start"):
        resolve = decision("Always: registry\nresolves the name?")
        present = decision("IfNotPresent:\nimage on\nthis node?")
        never = decision("Never:\nimage on\nthis node?")
        run = terminal("start container")
        pull = action("pull from\nregistry")
        err_pull = terminal("ErrImagePull, then\nImagePullBackOff")
        err_never = terminal("ErrImageNeverPull")

    created >> is_set
    is_set >> edge("yes") >> keep
    is_set >> edge("no") >> has_latest
    has_latest >> edge("yes") >> always
    has_latest >> edge("no (other tag,\nor digest only)") >> if_not_present

    always >> resolve
    if_not_present >> present
    keep >> edge("Never", style="dashed") >> never
    resolve >> edge("yes: use cached\ndigest or pull it") >> run
    resolve >> edge("no: image was\nonly loaded", color="firebrick") >> err_pull
    present >> edge("yes") >> run
    present >> edge("no") >> pull
    pull >> edge("not found", color="firebrick") >> err_pull
    never >> edge("yes") >> run
    never >> edge("no", color="firebrick") >> err_never
