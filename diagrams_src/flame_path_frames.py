"""One row of cloc's table becomes one folded line, and that line becomes a column of frames.

The example is a real row of the kind table on the same page
(pkg/cluster/internal/providers/docker/provision.go, 297 lines of code). The frames are drawn as
in a flame graph, root at the bottom, and every width is to scale: the root is ``ROOT_WIDTH``
inches for kind's 25,713 lines, so provision.go is a sliver and docker, podman and nerdctl side by
side barely fill ``providers``. Frames too narrow for their name keep it beside them, on the
same row. Positions are pinned (Graphviz's neato with ``pos="x,y!"``): a flame graph is a
measured drawing, not a layout problem, and dot would widen or move boxes to fit their labels.
"""

from diagrams import Diagram, Node

#: Code lines under each frame of the path, from the kind table (cloc 1.96), root first.
PATH = [
    ("all (kind)", 25713),
    ("pkg", 17214),
    ("cluster", 8509),
    ("internal", 7748),
    ("providers", 4146),
    ("docker", 1627),
    ("provision.go", 297),
]
#: docker's siblings under providers, drawn right of it (flamegraph.pl's order is docker,
#: nerdctl, podman; the picture keeps the path's frame first so the column reads straight).
SIBLINGS = [("podman", 1160), ("nerdctl", 927)]

ROOT_WIDTH = 7.0  # inches for 25,713 lines
ROW = 0.42  # frame height, inches
FONT = "14"
FILL = ["#fde3c8", "#fcd3a5", "#fbc384", "#f9b266", "#f7a24c", "#f59338", "#f2852a"]
INK = "#2D3436"


def inches(lines: int) -> float:
    return ROOT_WIDTH * lines / PATH[0][1]


def box(key: str, x: float, row: int, width: float, fill: str, label: str = "") -> Node:
    """A frame: left edge at ``x`` inches, on ``row`` (0 = the bottom), exactly ``width`` wide."""
    return Node(
        label,
        nodeid=key,
        shape="box",
        style="filled",
        fillcolor=fill,
        color="#ffffff",
        fontcolor=INK,
        fontsize=FONT,
        fixedsize="true",
        width=f"{width:.3f}",
        height=f"{ROW:.2f}",
        pos=f"{x + width / 2:.3f},{row * ROW + ROW / 2:.3f}!",
    )


def text(key: str, x: float, y: float, label: str, width: float) -> Node:
    """Plain text whose left edge is at ``x`` inches (``\\l`` ends a left-justified line)."""
    return Node(
        "".join(line + "\\l" for line in label.split("\n")),
        nodeid=key,
        shape="plaintext",
        fontcolor=INK,
        fontsize=FONT,
        fixedsize="true",
        width=f"{width:.2f}",
        height=f"{0.25 * (label.count(chr(10)) + 1):.2f}",
        pos=f"{x + width / 2:.3f},{y:.3f}!",
    )


GRAPH = {"layout": "neato", "splines": "line", "pad": "0.15", "label": ""}

with Diagram("One path, seven frames", show=False, graph_attr=GRAPH):
    frames = []  # bottom first
    for row, (name, lines) in enumerate(PATH):
        width = inches(lines)
        label = f"{name} {lines:,}" if width > 1.8 else ""
        frames.append(box(f"f{row}", 0.0, row, width, FILL[row], label))
    x = inches(PATH[5][1])
    for i, (_name, lines) in enumerate(SIBLINGS):
        box(f"s{i}", x, 5, inches(lines), "#e6e6e6")
        x += inches(lines)
    # names of the frames too narrow to hold them, on their own rows
    text("n4", 1.3, 4 * ROW + ROW / 2, "<- providers 4,146", 4.6)
    text("n5", 1.3, 5 * ROW + ROW / 2, "<- docker 1,627 | podman 1,160 | nerdctl 927", 4.6)
    text("n6", 1.3, 6 * ROW + ROW / 2, "<- provision.go 297 (1.2% of kind)", 4.6)
    text(
        "steps",
        0.0,
        7 * ROW + 0.75,
        "1. cloc's row:  Go,./pkg/cluster/internal/providers/docker/provision.go,43,108,297\n"
        "2. folded line:  pkg;cluster;internal;providers;docker;provision.go 297\n"
        "3. one frame per path element, stacked from the root up:",
        6.9,
    )
