"""The three shapes worth recognising in a code flame graph, cut out of the client-go graph.

Each slice is real: the frames, their left-to-right order (flamegraph.pl's) and their line
counts come from the client-go table on the same page, so the reader can find them again by
zooming. All three are drawn to one scale, ``INCH`` lines to the inch, so their sizes compare:

* plateau: ``openapi/openapitest/testdata/api__v1_openapi.json``, one file of 34,853 lines with
  nothing above it;
* tower: ``plugin/pkg/client/auth``, four directories with a single child each, 2,785 lines
  (1% of client-go) stacked six frames high before the first file;
* comb: ``applyconfigurations``, one frame per API group side by side, the widest of them
  ``internal`` (a single generated file).

Frames too narrow for their name get it beside them, on the same row. Positions are pinned
(Graphviz's neato, ``pos="x,y!"``) because a flame graph is a measured drawing: dot would
widen boxes to fit labels and move them to fit edges.
"""

from diagrams import Diagram, Node

INCH = 10_000  # lines of code per inch
ROW = 0.34  # frame height, inches
FONT = "14"
INK = "#2D3436"
FILL = ["#fde3c8", "#fcd3a5", "#fbc384", "#f9b266", "#f7a24c", "#f59338", "#f2852a"]

#: (name, lines, children) in flamegraph.pl's order; children=None: not drawn further up.
PLATEAU = (
    "openapi",
    63596,
    [
        ("cached", 99, None),
        ("client.go", 80, None),
        ("groupversion.go", 72, None),
        ("groupversion_test.go", 82, None),
        (
            "openapitest",
            63234,
            [
                ("fakeclient.go", 37, None),
                ("fileclient.go", 50, None),
                ("fileclient_test.go", 79, None),
                (
                    "testdata",
                    63068,
                    [
                        ("api__v1_openapi.json", 34853, None),
                        ("apis__apps__v1_openapi.json", 15296, None),
                        ("apis__batch__v1_openapi.json", 8811, None),
                        ("apis__discovery.k8s.io__v1_openapi.json", 2859, None),
                        ("apis__networking.k8s.io__v1alpha1_openapi.json", 1249, None),
                    ],
                ),
            ],
        ),
        ("typeconverter.go", 29, None),
    ],
)
TOWER = (
    "plugin",
    2785,
    [
        (
            "pkg",
            2785,
            [
                (
                    "client",
                    2785,
                    [
                        (
                            "auth",
                            2785,
                            [
                                ("azure", 16, None),
                                (
                                    "exec",
                                    2357,
                                    [
                                        ("exec.go", 499, None),
                                        ("exec_cache_test.go", 70, None),
                                        ("exec_test.go", 1452, None),
                                        ("metrics.go", 74, None),
                                        ("metrics_test.go", 258, None),
                                        ("testdata", 4, None),
                                    ],
                                ),
                                ("gcp", 16, None),
                                ("oidc", 387, None),
                                ("plugins.go", 4, None),
                                ("plugins_providers.go", 5, None),
                            ],
                        )
                    ],
                )
            ],
        )
    ],
)
COMB = (
    "applyconfigurations",
    68263,
    [
        (name, lines, None)
        for name, lines in [
            ("admissionregistration", 4410),
            ("apiserverinternal", 258),
            ("apps", 4042),
            ("autoscaling", 1127),
            ("batch", 1245),
            ("certificates", 1604),
            ("coordination", 774),
            ("core", 9645),
            ("discovery", 645),
            ("doc.go", 1),
            ("events", 472),
            ("extensions", 1802),
            ("flowcontrol", 2960),
            ("imagepolicy", 225),
            ("internal", 17664),
            ("lifecycle", 573),
            ("meta", 474),
            ("networking", 2244),
            ("node", 617),
            ("policy", 792),
            ("rbac", 2226),
            ("resource", 6711),
            ("scheduling", 2167),
            ("storage", 3172),
            ("storagemigration", 390),
            ("utils.go", 2023),
        ]
    ],
)


def width_of(lines: int) -> float:
    return lines / INCH


def fits(label: str, inches: float) -> bool:
    """Whether ``label`` fits inside a frame ``inches`` wide at 14 px (about 8 px a character)."""
    return len(label) * 8.2 + 8 <= inches * 72


def frame(key: str, x: float, y: float, lines: int, level: int, label: str) -> Node:
    """A frame: left edge at ``x`` and bottom at ``y`` inches, exactly as wide as its lines."""
    width = width_of(lines)
    return Node(
        label,
        nodeid=key,
        shape="box",
        style="filled",
        fillcolor=FILL[min(level, len(FILL) - 1)],
        color="#ffffff",
        penwidth="0.5",
        fontcolor=INK,
        fontsize=FONT,
        fixedsize="true",
        width=f"{width:.4f}",
        height=f"{ROW:.2f}",
        pos=f"{x + width / 2:.4f},{y + ROW / 2:.4f}!",
    )


def text(key: str, x: float, y: float, label: str) -> Node:
    """Left-justified text starting at ``x`` inches, centred on height ``y``."""
    width = len(label) * 8.2 / 72 + 0.1
    return Node(
        label + "\\l",
        nodeid=key,
        shape="plaintext",
        fontcolor=INK,
        fontsize=FONT,
        fixedsize="true",
        width=f"{width:.3f}",
        height="0.3",
        pos=f"{x + width / 2:.3f},{y:.3f}!",
    )


def slice_(key: str, tree: tuple, x: float, y: float, named: dict[int, str]) -> int:
    """Draw ``tree`` with its left edge at ``x`` and its bottom at ``y``; return its rows.

    A frame wide enough holds its name; ``named`` maps a row to the text written beside the
    slice on that row instead (for frames too narrow to name).
    """
    rows = 0
    stack = [(tree, x, 0)]
    count = 0
    while stack:
        (name, lines, children), left, level = stack.pop()
        label = f"{name} {lines:,}"
        if not fits(label, width_of(lines)):
            label = name if fits(name, width_of(lines)) else ""
        frame(f"{key}{count}", left, y + level * ROW, lines, level, label)
        count += 1
        rows = max(rows, level + 1)
        offset = left
        for child in children or []:
            stack.append((child, offset, level + 1))
            offset += width_of(child[1])
    right = x + max(width_of(tree[1]), 0.2) + 0.15
    for row, note in named.items():
        text(f"{key}n{row}", right, y + row * ROW + ROW / 2, note)
    return rows


with Diagram("Plateau, tower, comb", show=False, graph_attr={"layout": "neato", "label": ""}):
    y = 0.0
    slice_("c", COMB, 0.0, y, {})
    text(
        "cn",
        0.0,
        y + 2 * ROW + 0.2,
        "comb: one frame per API group (core, apps, ...); internal is one generated file",
    )
    y += 2 * ROW + 0.75
    slice_(
        "t",
        TOWER,
        0.0,
        y,
        {
            0: "<- plugin 2,785 (1% of client-go)",
            1: "<- pkg 2,785",
            2: "<- client 2,785",
            3: "<- auth 2,785: a tower, four single-child directories",
            4: "<- exec 2,357 | oidc 387 | four more",
            5: "<- exec_test.go 1,452 | exec.go 499 | ...",
        },
    )
    y += 6 * ROW + 0.4
    slice_("p", PLATEAU, 0.0, y, {})
    text(
        "pn",
        0.0,
        y + 4 * ROW + 0.2,
        "plateau: api__v1_openapi.json, one file with nothing above it",
    )
