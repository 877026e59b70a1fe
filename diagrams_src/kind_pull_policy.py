"""The image pull policy: defaulted by the API server on every write, applied by the kubelet.

The upper half is `SetDefaults_Container` (kubernetes pkg/apis/core/v1/defaults.go): it runs
whenever an object is decoded for a write and fills the field only when it is empty. A patch
is applied to the stored object first, so the stored value survives; a full replace without the
field is empty again and is defaulted from the new tag. Whatever ends up stored, explicit or
defaulted, is one of three values, and each reaches its own kubelet decision in the lower half.

Top to bottom, few nodes per rank and 15-16 px text: legible at the post column's width.
"""

import _style
from _style import decision, record, terminal
from diagrams import Cluster, Diagram

LABEL = "15"
CLUSTER = {**_style.QUIET_CLUSTER, "fontsize": LABEL}


def step(label: str = ""):
    return _style.flow(label, fontsize=LABEL)


def fail(label: str = ""):
    return _style.act(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={
        "splines": "spline",
        "nodesep": "0.6",
        "ranksep": "0.75",
        "fontsize": LABEL,
        "ordering": "out",
    },
    node_attr={"fontsize": "16"},
):
    written = terminal("object written:\ncreate, replace\nor patch")

    with Cluster("API server, on every write", graph_attr=CLUSTER):
        empty = decision("field empty in\nthe object\nto store?")
        latest = decision("tag latest, or\nno tag and\nno digest?")

    with Cluster("stored imagePullPolicy", graph_attr=CLUSTER):
        always = record("Always")
        if_not_present = record("IfNotPresent")
        never = record("Never")

    with Cluster("kubelet, at every container start", graph_attr=CLUSTER):
        resolve = decision("registry\nresolves\nthe name?")
        present = decision("image on\nthis node?")
        present_never = decision("image on\nthis node?")
        pull = _style.step("pull from\nthe registry")
        run = terminal("start the\ncontainer")
        err_pull = terminal("ErrImagePull,\nImagePullBackOff")
        err_never = terminal("ErrImageNeverPull")

    written >> step() >> empty
    # Explicit values first: Graphviz keeps this order, which puts the defaulting on the right.
    empty >> step("no: Always") >> always
    empty >> step("no: IfNotPresent") >> if_not_present
    empty >> step("no: Never") >> never
    empty >> step("yes") >> latest
    latest >> step("yes") >> always
    latest >> step("no") >> if_not_present

    always >> step() >> resolve
    if_not_present >> step() >> present
    never >> step() >> present_never

    resolve >> step("yes: local copy\nof that digest,\nor pull it") >> run
    resolve >> fail("no: image was\nonly loaded") >> err_pull
    present >> step("yes") >> run
    present >> step("no") >> pull
    pull >> step("pulled") >> run
    pull >> fail("not found") >> err_pull
    present_never >> step("yes") >> run
    present_never >> fail("no") >> err_never
