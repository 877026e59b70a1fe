"""Can a reader read the diagram where it is shown? Text size, contrast and overlap, from the SVG.

A diagram is drawn in SVG units (Graphviz points) and shown scaled to fit the post column, so a
label's size on screen is its ``font-size`` times ``shown width / viewBox width``. Three rules,
checked on the light and the dark SVG the site serves:

* **size**: every label renders at >= ``MIN_PX`` CSS px in the column at Material's desktop
  layout (``COLUMN_PX``, measured in Chromium at 1366x900; ``tests/diagramkit/test_browser.py``
  fails when the theme changes it);
* **contrast**: every label has a WCAG contrast of >= ``MIN_CONTRAST`` against what it is painted
  on (the node or cluster fill under it, or the page: white, or Material's slate);
* **overlap**: no label's box overlaps another element's label.

SVG has no font metrics without a renderer, so a label's box is estimated from its font size
(``GLYPH_EM`` per character). Pure functions of the SVG text: the build caches the verdict by the
SVGs' digest (``build.py``).
"""

from __future__ import annotations

import ast
import colorsys
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hooks.diagramkit import colors
from hooks.diagramkit.verdicts import Problem, Verdict

if TYPE_CHECKING:  # lxml loads when a diagram is checked, never on a warm build
    from lxml import etree

#: Width of the post column in CSS px at 1366x900 (Material 9.8, blog post with both sidebars).
COLUMN_PX = 688
#: Smallest text a reader should have to read, in CSS px.
MIN_PX = 12.0
#: WCAG 2 AA for normal text.
MIN_CONTRAST = 4.5
#: Page backgrounds: Material's default scheme and slate (``hsla(225deg, 15%, 14%)``).
PAGE = {
    "light": (1.0, 1.0, 1.0),
    "dark": colorsys.hls_to_rgb(225 / 360, 0.14, 0.15),
}
#: Average advance of a sans-serif glyph in em, and the part of the em above the baseline.
GLYPH_EM = 0.55
_ASCENT, _DESCENT = 0.75, 0.2
#: Boxes must intersect by this many units in both directions to count as overlapping.
_OVERLAP_SLACK = 1.0

_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_SHAPES = {"polygon", "ellipse", "path", "rect"}
Rgb = tuple[float, float, float]


@dataclass(frozen=True)
class Label:
    """One line of text as the SVG draws it, in the graph's own units."""

    text: str
    size: float  # font-size in SVG units (after the graph's scale)
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    colour: Rgb
    group: str  # id of the <g> (node, edge, cluster) it belongs to
    order: int  # position in the document: what was painted before it lies under it


# --- geometry ---------------------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _floats(text: str | None) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text or "")]


def _graph_scale(graph: etree._Element) -> float:
    m = re.search(r"scale\(([-\d.]+)", graph.get("transform", ""))
    return float(m.group(1)) if m else 1.0


def _labels(graph: etree._Element, scale: float) -> list[Label]:
    out = []
    for order, text in enumerate(graph.iter()):
        if text.tag != f"{_SVG}text":
            continue
        content = "".join(text.itertext()).strip()
        if not content:
            continue
        size = float(_floats(text.get("font-size", "14"))[0])
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        width = len(content) * size * GLYPH_EM
        anchor = text.get("text-anchor", "start")
        x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        parent = text.getparent()
        while parent is not None and parent.tag != f"{_SVG}g":
            parent = parent.getparent()
        colour = colors.parse(text.get("fill") or "black") or (0.0, 0.0, 0.0)
        out.append(
            Label(
                content,
                size * scale,
                (x0, y - size * _ASCENT, x0 + width, y + size * _DESCENT),
                colour,
                parent.get("id", "") if parent is not None else "",
                order,
            )
        )
    return out


def _inside_polygon(px: float, py: float, points: list[float]) -> bool:
    xs, ys = points[0::2], points[1::2]
    inside = False
    j = len(xs) - 1
    for i in range(len(xs)):
        if (ys[i] > py) != (ys[j] > py):
            cross = xs[i] + (py - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i])
            if px < cross:
                inside = not inside
        j = i
    return inside


def _contains(el: etree._Element, px: float, py: float) -> bool:
    tag = _local(el)
    if tag == "polygon":
        pts = _floats(el.get("points"))
        return len(pts) >= 6 and _inside_polygon(px, py, pts)
    if tag == "ellipse":
        cx, cy = float(el.get("cx", "0")), float(el.get("cy", "0"))
        rx, ry = float(el.get("rx", "0")), float(el.get("ry", "0"))
        return rx > 0 and ry > 0 and ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1
    if tag == "rect":
        x, y = float(el.get("x", "0")), float(el.get("y", "0"))
        w, h = _floats(el.get("width"))[:1] or [0.0], _floats(el.get("height"))[:1] or [0.0]
        return x <= px <= x + w[0] and y <= py <= y + h[0]
    # a path: Graphviz draws rounded clusters and nodes as closed curves; their box will do
    pts = _floats(el.get("d"))
    xs, ys = pts[0::2], pts[1::2]
    return bool(xs) and min(xs) <= px <= max(xs) and min(ys) <= py <= max(ys)


def _fills(graph: etree._Element) -> list[tuple[int, etree._Element, Rgb, float]]:
    """Filled shapes of nodes and clusters in painting order: (order, shape, colour, opacity)."""
    out = []
    for i, el in enumerate(graph.iter()):
        if not isinstance(el.tag, str) or _local(el) not in _SHAPES:
            continue
        owner = el.getparent()
        if owner is None or owner.get("class") not in {"node", "cluster", "graph"}:
            continue  # edge arrowheads and lines are not what a label sits on
        rgb = colors.parse(el.get("fill") or "black")
        if rgb is None:  # none, transparent, gradients
            continue
        opacity = _floats(el.get("fill-opacity") or "1")[0]
        out.append((i, el, rgb, opacity))
    return out


def _blend(top: Rgb, opacity: float, bottom: Rgb) -> Rgb:
    r, g, b = (opacity * t + (1 - opacity) * u for t, u in zip(top, bottom, strict=True))
    return r, g, b


def luminance(rgb: Rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    """WCAG 2 contrast ratio (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# --- the rules --------------------------------------------------------------------------------


def _parse(svg: str) -> tuple[etree._Element, etree._Element | None]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(svg.encode("utf-8"), parser)
    return root, root.find(f"{_SVG}g")


def _contrast_problems(svg: str, variant: str) -> list[Problem]:
    _, graph = _parse(svg)
    if graph is None:
        return []
    labels = _labels(graph, _graph_scale(graph))
    fills = _fills(graph)
    problems = []
    for label in labels:
        x0, y0, x1, y1 = label.box
        px, py = (x0 + x1) / 2, (y0 + y1) / 2
        under = PAGE[variant]
        for order, el, rgb, opacity in fills:
            if order > label.order:
                break  # painted over the text: not what it sits on
            if _contains(el, px, py):
                under = _blend(rgb, opacity, under)
        ratio = contrast(label.colour, under)  # type: ignore[arg-type]
        if ratio < MIN_CONTRAST:
            problems.append(
                Problem(
                    "contrast",
                    label.text,
                    f"text {label.text!r} has contrast {ratio:.1f}:1 on "
                    f"{colors.to_hex(under)} in the {variant} variant "  # type: ignore[arg-type]
                    f"(text {colors.to_hex(label.colour)}; needs >= {MIN_CONTRAST}:1)",
                    "choose a darker fontcolor or a lighter fill (the dark variant re-inks both; "
                    "see CONTRIBUTING.md, section Diagrams)",
                )
            )
    return problems


def _overlap_problems(labels: list[Label]) -> list[Problem]:
    problems = []
    reported: set[tuple[str, str]] = set()
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a.group == b.group:
                continue  # the lines of one label
            dx = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
            dy = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
            if dx > _OVERLAP_SLACK and dy > _OVERLAP_SLACK and (a.text, b.text) not in reported:
                reported.add((a.text, b.text))
                problems.append(
                    Problem(
                        "overlap",
                        a.text,
                        f"labels {a.text!r} and {b.text!r} overlap",
                        "give the graph room (nodesep, ranksep), shorten or move one label "
                        "(an edge label next to a cluster title collides: use xlabel or "
                        "label the node instead)",
                    )
                )
    return problems


def shown_scale(width_px: float, units: float, column_px: int = COLUMN_PX) -> float:
    """CSS px per SVG unit of a picture ``units`` wide whose ``<img>`` is ``width_px`` wide,
    shown in the post column (never wider than the column, never enlarged)."""
    return min(width_px, column_px) / units


def check(light: str, dark: str, width_px: int, column_px: int = COLUMN_PX) -> Verdict:
    """The verdict on one rendered diagram shown ``min(width_px, column_px)`` CSS px wide."""
    root, graph = _parse(light)
    box = _floats(root.get("viewBox"))
    if graph is None or len(box) != 4 or box[2] <= 0:
        return Verdict("", 0.0, width_px, [])
    labels = _labels(graph, _graph_scale(graph))
    if not labels:
        return Verdict("", 0.0, width_px, [])
    units = box[2]
    px_per_unit = shown_scale(width_px, units, column_px)
    smallest = min(labels, key=lambda label: (label.size, label.text))
    smallest_px = smallest.size * px_per_unit
    # rounded up, plus a pixel for the browser's subpixel layout: the zoom never shows less
    legible_width = math.ceil(units * MIN_PX / smallest.size) + 1
    problems: list[Problem] = []
    if smallest_px < MIN_PX - 1e-6:
        aim = smallest.size * column_px / MIN_PX
        font = MIN_PX / px_per_unit
        problems.append(
            Problem(
                "size",
                smallest.text,
                f"smallest text {smallest.text!r} renders at {smallest_px:.1f} CSS px in the "
                f"{column_px} px post column (needs >= {MIN_PX:g})",
                f"the picture is {units:.0f} units wide with {smallest.size:g} pt text: draw it "
                f'at most {aim:.0f} units wide (direction="TB", fewer nodes per rank, no title '
                f"in the image, or split it in two) or set fontsize >= {font:.0f}; "
                "see CONTRIBUTING.md, section Diagrams",
            )
        )
    problems += _overlap_problems(labels)
    problems += _contrast_problems(light, "light")
    problems += _contrast_problems(dark, "dark")
    return Verdict(smallest.text, round(smallest_px, 2), legible_width, problems)


def label_line(script: Path, text: str) -> int:
    """The script line that writes ``text`` (a string argument of a call containing it, so not
    a docstring), else the line of ``Diagram(``, else 1: where the author goes to fix a label."""
    try:
        tree = ast.parse(script.read_bytes(), filename=str(script))
    except (OSError, SyntaxError, ValueError):
        return 1
    literals, diagrams = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if getattr(node.func, "id", "") == "Diagram":
            diagrams.append(node.lineno)
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and text in arg.value:
                literals.append(arg.lineno)
    return min(literals or diagrams or [1])
