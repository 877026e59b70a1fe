"""Shared look for diagram scripts: import what you need, ignore the rest.

A helper, not a diagram (the leading underscore): ``from _style import GRAPH, flow, watch``.
Editing this file re-renders exactly the diagrams that import it (the cache key covers it).

The colours are chosen to survive the dark variant, which keeps each hue and lightens lines and
text for Material's slate background: avoid pure black or pale lines of your own.

Legible by default: the build fails a diagram whose smallest text renders under 12 CSS px in the
688 px post column (``hooks/diagramkit/legibility.py``). ``diagram()`` and ``cluster()`` set
text to ``FONT`` pt, lay out top to bottom and leave the title out of the image (the caption
says it); keep the picture at most ``MAX_WIDTH`` units wide (about 5 icon nodes per rank).

Light by default: an icon costs 3-6 KB of the post's first load even drawn small (a post's
diagrams, HTML, CSS and JS must stay under 150 KB gzipped: ``benchmarks/bench_diagrams.py``).
Give an icon to a node only where it tells the reader what kind of thing the node is (a running
component: kube-apiserver, etcd, a Pod, the kubelet), drawn with ``icon()`` at ``ICON`` units;
draw everything else as a plain labelled shape: ``step()``, ``decision()``, ``terminal()`` for
flowcharts, ``record()`` for API objects and other data, ``store()`` for a store or a queue.
Check with ``python -m hooks diagrams check diagrams_src/NAME.py``.
"""

from __future__ import annotations

import html
from typing import Any

from diagrams import Cluster, Diagram, Edge, Node

#: Text size (pt) of labels, edge labels and cluster titles (diagrams' defaults: 13, 14, 12).
FONT = "14"
#: Widest picture (SVG units) at which FONT-size text reads at 12 CSS px in the post column.
MAX_WIDTH = int(int(FONT) * 688 / 12)

#: ``Diagram(..., graph_attr=GRAPH)``: a little tighter than the library's spacing.
GRAPH = {"nodesep": "0.5", "ranksep": "0.7", "fontsize": "15"}
#: ``Cluster(..., graph_attr=QUIET_CLUSTER)``: a cluster that groups without shouting.
QUIET_CLUSTER = {"bgcolor": "#F4F6F8", "pencolor": "#C5CCD3"}

#: Side of the square an ``icon()`` is drawn in (SVG units): 28-43 CSS px in the post column.
ICON = 32
#: Plain shapes: a pale fill the dark variant turns dark, a mid-grey outline it turns light.
SHAPE = {
    "style": "filled",
    "fillcolor": "#EEF2F7",
    "color": "#7B8894",
    "fixedsize": "false",
    "width": "0",
    "height": "0",
    "margin": "0.14,0.07",
    "labelloc": "c",
}

#: Edge colours by meaning (one meaning per colour across the site).
DATA = "#546E7A"  # requests, bytes, images moving
CONTROL = "#B22222"  # a component writing desired state / acting
OBSERVE = "#3F6AD8"  # watches, lists, health checks


def edge(label: str = "", **attrs: str) -> Edge:
    """An Edge whose label is FONT pt (``diagrams.Edge`` fixes every edge label at 13 pt,
    whatever the diagram's ``edge_attr`` says)."""
    return Edge(label=label, **{"fontsize": FONT, **attrs})


def flow(label: str = "", **attrs: str) -> Edge:
    """Data moving from one component to the next (solid)."""
    return edge(label, color=DATA, **attrs)


def act(label: str = "", **attrs: str) -> Edge:
    """A component changing another one (solid, red): create, update, delete, import."""
    return edge(label, color=CONTROL, **attrs)


def watch(label: str = "watch", **attrs: str) -> Edge:
    """A component observing another (dashed, blue): watch, list, probe."""
    return edge(label, color=OBSERVE, style="dashed", **attrs)


def optional(label: str = "", **attrs: str) -> Edge:
    """A path taken only sometimes (dotted, grey): fallbacks, retries, rare branches."""
    return edge(label, color="#8A96A3", style="dotted", **attrs)


def diagram(direction: str = "TB", **kwargs: Any) -> Diagram:
    """``with diagram():`` -- a Diagram for a post: no title inside the image (the caption says
    it), top to bottom, every text FONT pt. ``graph_attr``, ``node_attr`` and ``edge_attr`` given
    here are merged over those defaults."""
    graph_attr = {**GRAPH, "fontsize": FONT, **kwargs.pop("graph_attr", {})}
    node_attr = {"fontsize": FONT, **kwargs.pop("node_attr", {})}
    edge_attr = {"fontsize": FONT, **kwargs.pop("edge_attr", {})}
    return Diagram(
        "",
        direction=direction,
        graph_attr=graph_attr,
        node_attr=node_attr,
        edge_attr=edge_attr,
        **kwargs,
    )


def cluster(label: str, *, quiet: bool = False, **graph_attr: str) -> Cluster:
    """``with cluster("namespace web"):`` -- a Cluster whose title reads like the node labels
    (diagrams draws cluster titles at 12 pt); ``quiet=True`` for the grey QUIET_CLUSTER look."""
    base = {"fontsize": FONT, **(QUIET_CLUSTER if quiet else {})}
    return Cluster(label, graph_attr={**base, **graph_attr})


def _html_lines(label: str) -> str:
    return "<BR/>".join(html.escape(line, quote=False) for line in label.split("\n"))


def icon(kind: type[Node], label: str, **attrs: str) -> Node:
    """``icon(Pod, "web-1")``: a ``diagrams`` node whose icon is drawn ``ICON`` units square
    with its label centred under it (``diagrams`` draws icons 101 units wide, so 3x the pixels).

    An HTML-like Graphviz label (a one-column table: a fixed-size cell holding the image, a cell
    holding the text); the renderer reads the plain label back for titles and ids. Icons of
    the ``diagrams`` library only: an icon of your own stays ``Custom(label, "icons/x.png")``.
    """
    source = kind._load_icon(kind)  # type: ignore[arg-type]
    table = (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON}" HEIGHT="{ICON}">'
        f'<IMG SRC="{html.escape(source)}" SCALE="TRUE"/></TD></TR>'
        f'<TR><TD CELLPADDING="3">{_html_lines(label)}</TD></TR></TABLE>>'
    )
    plain = {"shape": "none", "image": "", "fixedsize": "false", "width": "0", "height": "0"}
    return kind(table, **{**plain, "margin": "0", **attrs})


def shape(label: str, shape: str, **attrs: str) -> Node:
    """A plain labelled Graphviz shape (no icon, no bytes): see the helpers below."""
    return Node(label, **{**SHAPE, "shape": shape, **attrs})


def step(label: str, **attrs: str) -> Node:
    """A flowchart step or a process: a rounded box."""
    return shape(label, "box", style="rounded,filled", **attrs)


def decision(label: str, **attrs: str) -> Node:
    """A flowchart question: a diamond (keep it to three short lines)."""
    return shape(label, "diamond", margin="0.04,0.02", **attrs)


def terminal(label: str, **attrs: str) -> Node:
    """Where a flowchart starts or ends: a stadium."""
    return shape(label, "box", style="rounded,filled", peripheries="2", **attrs)


def record(label: str, **attrs: str) -> Node:
    """An API object or other data (a ConfigMap, a StaticSite, a file): a note."""
    return shape(label, "note", **attrs)


def store(label: str, **attrs: str) -> Node:
    """Something that keeps data (a registry, a cache, a queue): a cylinder."""
    return shape(label, "cylinder", **attrs)
