"""The observe -> diff -> act loop every Kubernetes controller runs.

The point of the picture is that the loop has no exit: after acting, the controller goes
back to observing, and a wake-up (watch event, resync, requeue timer) only says *when* to
look again, never *what* changed.

Shown in the operator post, section "A loop with no exit". No title in the image: the caption
is it.
"""

import _style
from _style import decision, icon, record, step
from diagrams import Cluster, Diagram
from diagrams.k8s.controlplane import API

GRAPH = {"label": "", "splines": "spline", "fontsize": "16", "nodesep": "0.8", "ranksep": "0.7"}
NODE = {"fontsize": "16"}
GROUP = {"fontsize": "16", "bgcolor": "#F4F6F8", "pencolor": "#C5CCD3"}


def flow(label="", **attrs):
    return _style.flow(label, fontsize="15", **attrs)


def act(label="", **attrs):
    return _style.act(label, fontsize="15", **attrs)


def watch(label="", **attrs):
    return _style.watch(label, fontsize="15", **attrs)


with Diagram("Observe, diff, act", direction="TB", graph_attr=GRAPH, node_attr=NODE):
    with Cluster("desired state", graph_attr=GROUP):
        spec = record("StaticSite\n.spec")

    with Cluster("observed state", graph_attr=GROUP):
        children = [record("Deployment"), record("Pods")]

    with Cluster("one reconcile", graph_attr=GROUP):
        observe = step("observe\n(read cache)")
        diff = decision("diff")
        do = step("act: create,\nupdate, delete")

    api = icon(API, "API server")

    spec >> flow("read") >> observe
    for child in children:
        child >> flow("read") >> observe
    observe >> flow() >> diff
    diff >> act("differs") >> do
    diff >> watch("equal: wait for\nthe next trigger") >> api
    do >> act("writes") >> api
    api >> watch("watch event, resync,\nrequeue timer", constraint="false") >> observe
