"""One row of cloc's table becomes one folded line, and that line becomes a column of frames.

The example is a real row from the kind table on the same page
(pkg/cluster/internal/providers/docker/provision.go, 297 lines of code). The frames are
drawn root at the bottom, each as wide as the code below that directory in kind, so the
picture is a one-path slice of the flame graph the reader zooms further down. The two
dimmed siblings show why identical prefixes merge: podman and nerdctl share every frame up to
``providers`` with docker, so those frames are drawn once and count all three.
"""

from itertools import pairwise

from diagrams import Cluster, Diagram, Edge, Node
from diagrams.programming.flowchart import Document, MultipleDocuments

#: Code lines under each frame of the path, from the kind table (cloc 1.96).
PATH = [
    ("all (kind)", 25713),
    ("pkg", 17214),
    ("cluster", 8509),
    ("internal", 7748),
    ("providers", 4146),
    ("docker", 1627),
    ("provision.go", 297),
]
SIBLINGS = [("podman", 1160), ("nerdctl", 927)]

#: Width in inches of the root frame; every other frame is scaled to its share of it.
ROOT_WIDTH = 7.0
MIN_WIDTH = 1.3
FLAME = ["#fde3c8", "#fcd3a5", "#fbc384", "#f9b266", "#f7a24c", "#f59338", "#f2852a"]


def frame(label: str, lines: int, fill: str, *, dimmed: bool = False) -> Node:
    """A flat box as wide as its share of the root, like one frame of a flame graph."""
    width = max(MIN_WIDTH, ROOT_WIDTH * lines / PATH[0][1])
    return Node(
        f"{label}\n{lines:,}",
        shape="box",
        style="rounded,filled,dashed" if dimmed else "rounded,filled",
        fillcolor="#eeeeee" if dimmed else fill,
        fontcolor="#2D3436",
        fixedsize="true",
        width=f"{width:.2f}",
        height="0.55",
        labelloc="c",
    )


#: Frames of a flame graph touch; keep the ranks close so the column reads as one stack.
with Diagram("One path, seven frames", direction="BT", graph_attr={"ranksep": "0.3"}):
    with Cluster("cloc --by-file --csv: one row"):
        row = Document("Go,./pkg/cluster/\ninternal/providers/\ndocker/provision.go,\n43,108,297")

    with Cluster("folded: ./ dropped, / becomes ;"):
        folded = MultipleDocuments("pkg;cluster;\ninternal;providers;\ndocker;provision.go\n297")

    with Cluster("frames: root at the bottom, width = lines of code"):
        frames = [frame(name, lines, FLAME[i]) for i, (name, lines) in enumerate(PATH)]
        siblings = [frame(name, lines, "", dimmed=True) for name, lines in SIBLINGS]

    # Same rank for the row and its folded line: the picture stays one stack tall, not two.
    row >> Edge(constraint="false") >> folded
    folded >> Edge(label="one frame per\npath element") >> frames[0]
    for lower, upper in pairwise(frames):
        lower >> Edge(arrowhead="none") >> upper
    for sibling in siblings:
        frames[4] >> Edge(arrowhead="none", style="dashed") >> sibling
