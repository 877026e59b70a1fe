"""The client-go machinery between the API server and a controller's reconcile function (1.37).

Top to bottom: the Reflector streams the initial state over a watch (``sendInitialEvents``,
falling back to LIST) and keeps watching; events go, in order, through a RealFIFO (the default
since InOrderInformers, 1.33) into the informer, which updates the Indexer and notifies the
handlers. Below the handlers the controller handles only keys: a deduplicating work queue,
workers that read objects back from the cache, and the two paths that put a key back without
any event: resync (from the informer's cache) and the rate-limited requeue after an error.

Shown in the operator post, section "Inside client-go". No title in the image: the caption is it.
"""

import _style
from _style import icon, step, store
from diagrams import Cluster, Diagram
from diagrams.k8s.controlplane import API

GRAPH = {"label": "", "splines": "spline", "fontsize": "16", "nodesep": "0.9", "ranksep": "0.75"}
NODE = {"fontsize": "16"}
EDGE = {"fontsize": "15"}


def flow(label="", **attrs):
    return _style.flow(label, fontsize="15", **attrs)


def act(label="", **attrs):
    return _style.act(label, fontsize="15", **attrs)


def watch(label="", **attrs):
    return _style.watch(label, fontsize="15", **attrs)


def optional(label="", **attrs):
    return _style.optional(label, fontsize="15", **attrs)


GROUP = {"fontsize": "16", "bgcolor": "#F4F6F8", "pencolor": "#C5CCD3"}

with Diagram(
    "The client-go controller pipeline",
    direction="TB",
    graph_attr=GRAPH,
    node_attr=NODE,
    edge_attr=EDGE,
):
    api = icon(API, "kube-apiserver")

    with Cluster("client-go shared informer", graph_attr=GROUP):
        reflector = step("Reflector")
        fifo = store("RealFIFO\n(in order)")
        informer = step("processLoop")
        indexer = store("Indexer\n(cache)")

    with Cluster("your controller", graph_attr=GROUP):
        handlers = step("event handlers")
        queue = store("work queue\n(keys)")
        workers = step("workers\nreconcile(key)")

    api >> watch("watch-list,\nelse LIST + WATCH") >> reflector
    reflector >> flow("events") >> fifo
    fifo >> flow("Pop") >> informer
    informer >> flow("store") >> indexer
    informer >> flow("notify") >> handlers
    indexer >> optional("resync:\nreplay cache") >> fifo
    handlers >> flow("Add(key)") >> queue
    queue >> flow("Get / Done") >> workers
    workers >> optional("error:\nAddRateLimited") >> queue
    workers >> watch("lister Get") >> indexer
    workers >> act("writes") >> api
