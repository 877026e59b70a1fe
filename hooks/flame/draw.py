"""Draw a folded tree as one self-contained, interactive SVG flame graph.

Width is lines of code, height is directory depth (root at the bottom, like flamegraph.pl; or at
the top with ``inverted=True``, an icicle). Decisions, and why:

* Frames are nested ``<svg>`` viewports placed in percentages of the picture's width: the graph
  fills whatever width the page gives it, rows keep a readable 16 px, and each viewport clips
  its own label, so the picture reads correctly even where scripts do not run.
* Compact (a reader loads it; issue 15): a frame is its position, its colour class, its
  ``<title>`` and its label, and nothing the script can work out exactly. Its hover text names
  the frame itself, as flamegraph.pl's does (``config.go`` over ``588 lines of Go, 2.29% of
  25,713``): the frames it stands on are its directories, and the script puts the whole path back
  together for the tooltip and the accessible name. The script takes each frame's depth from
  its row (``y``), its lines from its title's second line, and its offset in lines from the
  frames before it in pre-order: a frame starts where its previous sibling ends (or its parent
  starts) plus ``data-g``, written only where undrawn siblings come in between. So zoom and
  search still work in exact integers, and the staging graph's 3,164 frames cost 57 KB
  gzipped instead of 89. Positions have three decimals of a percent (0.006 px at 1,200 px).
* Frames narrower than ``min_width`` pixels are not drawn; their lines still count in every
  parent's width. The pixels are flamegraph.pl's: its ``--minwidth`` (default 0.1) is measured
  against the 1,180 px it draws in (a 1,200 px image less 10 px of padding on each side), so a
  frame is dropped when its lines are fewer than ``total * min_width / 1180``, as there.
* Colours come from CSS variables with a light and a dark set: the dark set applies under
  ``prefers-color-scheme: dark`` and, when embedded in a Material page, follows the page's own
  ``data-md-color-scheme`` (the script reads it through ``window.frameElement``).
* The title, the legend and the search box are not drawn: the page puts them around the graph
  as HTML (``hooks/flame/embed.py``), where they wrap on a phone and a screen reader finds
  them; ``Drawing.legend`` says what the legend holds. The picture keeps the hover details
  (each frame's ``<title>``), and its script makes frames keyboard-reachable (roving focus).
* Output is a pure function of the input: fixed number formats, flamegraph.pl's frame order
  (``Node.sorted_children``), colours from a CRC of the name, no ids beyond the fixed ones, no
  timestamps.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from hooks.flame.fold import Node
from hooks.flame.trusted import SCRIPT, STYLE

#: Reference width for build-time label fitting (flamegraph.pl's default image width).
REFERENCE_WIDTH = 1200.0
#: What ``min_width`` is measured against: flamegraph.pl's 1,200 px less its two 10 px pads.
MINWIDTH_BASIS = 1180.0
FRAME_HEIGHT = 16
TOP = 2  # a margin above the top row (the title is the page's, above the picture)
BOTTOM = 2  # and below the bottom one (the legend is the page's, below it)
CHAR_WIDTH = 7.3  # 12 px monospace, for build-time label fitting
LANGUAGE_CLASSES = 7  # distinct colours for the largest languages; the rest share "other"
DIR_CLASSES = 4


@dataclass(frozen=True)
class Drawing:
    """An SVG and what a page needs to embed it."""

    svg: str
    height: int  # pixels; the picture's width follows its container
    frames: int  # frames drawn
    hidden_frames: int  # frames too narrow to draw (still counted in their parents)
    legend: tuple[tuple[str, str], ...]  # (colour class, what it stands for), in legend order


def format_lines(n: int) -> str:
    return f"{n:,}"


def format_share(part: int, total: int) -> str:
    """A share of the total for people: ``2.29%``, ``<0.01%``, ``100%``."""
    if part >= total:
        return "100%"
    share = 100.0 * part / total
    return "<0.01%" if share < 0.01 else f"{share:.2f}%"


def _pct(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _fit_label(name: str, pixels: float) -> str:
    chars = int((pixels - 6) // CHAR_WIDTH)
    if chars < 3:
        return ""
    return name if len(name) <= chars else name[: chars - 2] + ".."


def language_ranks(root: Node) -> list[str]:
    """Languages by total code lines, largest first (ties by name): the legend's order."""
    totals: dict[str, int] = {}

    def walk(node: Node) -> None:
        if node.is_file:
            lang = node.language or "unknown"
            totals[lang] = totals.get(lang, 0) + node.lines
        for child in node.children.values():
            walk(child)

    walk(root)
    return sorted(totals, key=lambda lang: (-totals[lang], lang))


@dataclass(frozen=True)
class _Frame:
    node: Node
    depth: int
    offset: int


def _frames(root: Node, min_lines: float) -> Iterator[_Frame | int]:
    """Frames to draw in pre-order; an int for each subtree too narrow to draw (frame count)."""
    stack: list[tuple[Node, int, int]] = [(root, 0, 0)]
    while stack:
        node, depth, offset = stack.pop()
        if depth > 0 and node.lines < min_lines:
            yield node.count_frames()
            continue
        yield _Frame(node, depth, offset)
        children = node.sorted_children()
        starts = []
        position = offset
        for child in children:
            starts.append(position)
            position += child.lines
        for child, start in reversed(list(zip(children, starts, strict=True))):
            stack.append((child, depth + 1, start))


def draw_svg(
    root: Node,
    *,
    title: str,
    min_width: float = 0.1,
    inverted: bool = False,
) -> Drawing:
    """The flame graph of ``root`` as SVG text (deterministic: same tree, same bytes)."""
    total = root.lines
    min_lines = total * min_width / MINWIDTH_BASIS
    languages = language_ranks(root)
    lang_class = {
        lang: (f"l{i}" if i < LANGUAGE_CLASSES else "lx") for i, lang in enumerate(languages)
    }

    drawn: list[_Frame] = []
    hidden = 0
    for item in _frames(root, min_lines):
        if isinstance(item, int):
            hidden += item
        else:
            drawn.append(item)
    rows = 1 + max(f.depth for f in drawn)
    height = TOP + rows * FRAME_HEIGHT + BOTTOM

    out: list[str] = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="100%" height="{height}" data-total="{total}" data-row="{FRAME_HEIGHT}" '
        f'class="flame{" inverted" if inverted else ""}" aria-labelledby="flame-title">\n'
    )
    w(f'<title id="flame-title">{escape(title)}</title>\n')
    w(
        "<desc>Flame graph of lines of code: width is code lines, height is directory depth. "
        "Point at, tap or focus a frame for its path and lines; click, tap or press Enter to "
        "zoom; Escape zooms out.</desc>\n"
    )
    w(f"<style><![CDATA[\n{STYLE}]]></style>\n")
    w('<rect class="bg" width="100%" height="100%"/>\n')
    w('<g id="frames">\n')
    next_offset: dict[int, int] = {}  # depth -> where the next drawn frame at that depth starts
    for frame in drawn:
        node = frame.node
        row = frame.depth if inverted else rows - 1 - frame.depth
        y = TOP + row * FRAME_HEIGHT
        if frame.depth == 0:
            cls = "f root"
            heading = node.name
            kind = f"{format_lines(total)} lines of code"
        elif node.is_file:
            cls = "f " + lang_class[node.language or "unknown"]
            heading = node.name
            kind = f"{format_lines(node.lines)} lines of {node.language or 'unknown'}"
        else:
            cls = f"f d{zlib.crc32(node.name.encode()) % DIR_CLASSES}"
            heading = node.name + "/"
            kind = f"{format_lines(node.lines)} lines"
        share = format_share(node.lines, total)
        tip = f"{heading}\n{kind}, {share} of {format_lines(total)}"
        gap = frame.offset - next_offset.get(frame.depth, 0)
        next_offset[frame.depth] = frame.offset + node.lines
        next_offset[frame.depth + 1] = frame.offset
        width_pct = 100.0 * node.lines / total
        label = _fit_label(node.name, width_pct * REFERENCE_WIDTH / 100)
        w(
            f'<svg class="{cls}" x="{_pct(100.0 * frame.offset / total)}%" y="{y}" '
            f'width="{_pct(width_pct)}%" height="{FRAME_HEIGHT}"'
            + (f' data-g="{gap}"' if gap else "")
            + f"><title>{escape(tip)}</title>"
            f'<rect width="100%" height="{FRAME_HEIGHT - 1}"/>'
            f'<text x="3" y="12">{escape(label)}</text></svg>\n'
        )
    w("</g>\n")

    # The legend (drawn by the page): directories, then one entry per language colour.
    shown = languages[:LANGUAGE_CLASSES]
    legend = [("d0", "directory"), *((lang_class[lang], lang) for lang in shown)]
    if len(languages) > LANGUAGE_CLASSES:
        legend.append(("lx", "other"))
    w('<g id="tip" visibility="hidden"><rect rx="3"/><text></text></g>\n')
    w(f"<script><![CDATA[\n{SCRIPT}]]></script>\n")
    w("</svg>\n")
    return Drawing(
        svg="".join(out),
        height=height,
        frames=len(drawn),
        hidden_frames=hidden,
        legend=tuple(legend),
    )
