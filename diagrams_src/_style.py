"""Shared look for diagram scripts: import what you need, ignore the rest.

A helper, not a diagram (the leading underscore): ``from _style import GRAPH, flow, watch``.
Editing this file re-renders exactly the diagrams that import it (the cache key covers it).

The colours are chosen to survive the dark variant, which keeps each hue and lightens lines and
text for Material's slate background: avoid pure black or pale lines of your own.
"""

from __future__ import annotations

from diagrams import Edge

#: ``Diagram(..., graph_attr=GRAPH)``: a little tighter than the library's spacing.
GRAPH = {"nodesep": "0.5", "ranksep": "0.7", "fontsize": "15"}
#: ``Cluster(..., graph_attr=QUIET_CLUSTER)``: a cluster that groups without shouting.
QUIET_CLUSTER = {"bgcolor": "#F4F6F8", "pencolor": "#C5CCD3"}

#: Edge colours by meaning (one meaning per colour across the site).
DATA = "#546E7A"  # requests, bytes, images moving
CONTROL = "#B22222"  # a component writing desired state / acting
OBSERVE = "#3F6AD8"  # watches, lists, health checks


def flow(label: str = "", **attrs: str) -> Edge:
    """Data moving from one component to the next (solid)."""
    return Edge(label=label, color=DATA, **attrs)


def act(label: str = "", **attrs: str) -> Edge:
    """A component changing another one (solid, red): create, update, delete, import."""
    return Edge(label=label, color=CONTROL, **attrs)


def watch(label: str = "watch", **attrs: str) -> Edge:
    """A component observing another (dashed, blue): watch, list, probe."""
    return Edge(label=label, color=OBSERVE, style="dashed", **attrs)


def optional(label: str = "", **attrs: str) -> Edge:
    """A path taken only sometimes (dotted, grey): fallbacks, retries, rare branches."""
    return Edge(label=label, color="#8A96A3", style="dotted", **attrs)
