"""The three shapes worth recognising in a code flame graph, drawn as tiny flame graphs.

Each shape is a real slice of the client-go graph on the same page, with its real line counts,
so the reader can find it again by zooming: a plateau (one wide file with nothing above it, the
OpenAPI test data), a tower (directories with a single child stacked on each other,
``plugin/pkg/client/auth``), and a comb (one narrow frame per API group,
``applyconfigurations``). Frame widths are to scale within each slice, with a minimum width so
labels stay readable.
"""

from itertools import pairwise

from diagrams import Cluster, Diagram, Edge, Node

ROOT_WIDTH = 3.2
MIN_WIDTH = 0.75
FILL = ["#fde3c8", "#fbc384", "#f7a24c", "#f2852a"]


def frame(label: str, lines: int, root_lines: int, level: int) -> Node:
    """A flat box as wide as its share of the slice's bottom frame."""
    width = max(MIN_WIDTH, ROOT_WIDTH * lines / root_lines)
    return Node(
        f"{label}\n{lines:,}",
        shape="box",
        style="rounded,filled",
        fillcolor=FILL[min(level, len(FILL) - 1)],
        fontcolor="#2D3436",
        fontsize="11",
        fixedsize="true",
        width=f"{width:.2f}",
        height="0.5",
        labelloc="c",
    )


def column(path: list[tuple[str, int]]) -> list[Node]:
    """Frames of one path, bottom first, joined like a flame graph's stack."""
    nodes = [frame(name, n, path[0][1], i) for i, (name, n) in enumerate(path)]
    for lower, upper in pairwise(nodes):
        lower >> Edge(arrowhead="none") >> upper
    return nodes


with Diagram("Plateau, tower, comb", direction="BT", graph_attr={"ranksep": "0.25"}):
    with Cluster("plateau: one wide file, nothing above it"):
        column(
            [
                ("openapi", 63596),
                ("openapitest", 63234),
                ("testdata", 63068),
                ("api__v1_openapi.json", 34853),
            ]
        )

    with Cluster("tower: single-child directories stacked"):
        column(
            [
                ("plugin", 2785),
                ("pkg", 2785),
                ("client", 2785),
                ("auth", 2785),
                ("exec", 2357),
                ("exec.go", 499),
            ]
        )

    with Cluster("comb: one narrow frame per API group"):
        base = frame("applyconfigurations", 68263, 68263, 0)
        for name, lines in [("core", 9645), ("apps", 4042), ("storage", 3172), ("rbac", 2226)]:
            base >> Edge(arrowhead="none") >> frame(name, lines, 68263, 1)
