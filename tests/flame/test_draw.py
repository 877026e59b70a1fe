"""Drawing: what the SVG holds (frames, widths, tooltips), determinism, narrow frames."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from hooks import PROJECT_ROOT
from hooks.flame.count import FileCount, parse_cloc_csv, read_cloc_csv
from hooks.flame.draw import FRAME_HEIGHT, draw_svg, format_share
from hooks.flame.fold import Node, build_tree
from hooks.flame.sources import SOURCES, SVG_BUDGET_BYTES
from tests.flame.conftest import cloc_table

SVG = "{http://www.w3.org/2000/svg}"
DATA = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"


def frames(svg: str) -> list[etree._Element]:
    root = etree.fromstring(svg.encode())
    return root.findall(f"{SVG}g[@id='frames']/{SVG}svg")


def tip(frame: etree._Element) -> str:
    return frame.find(f"{SVG}title").text


@dataclass
class Read:
    """A frame as the embedded script reads it back (flame.js does the same in the browser)."""

    el: etree._Element
    path: str
    depth: int
    offset: int
    lines: int


def read_back(svg: str) -> dict[str, Read]:
    """Every drawn frame by its full path: depth from its row, lines from its title, offset
    from the frames before it (plus ``data-g``), path from its parents' names."""
    root = etree.fromstring(svg.encode())
    row, inverted = int(root.get("data-row")), "inverted" in root.get("class")
    found: dict[str, Read] = {}
    next_start: dict[int, int] = {}
    paths = {0: ""}
    els = frames(svg)
    root_y = int(els[0].get("y"))
    for el in els:
        own, detail = tip(el).split("\n")
        y = int(el.get("y"))
        depth = (y - root_y if inverted else root_y - y) // row
        lines = int(detail.split(" ")[0].replace(",", ""))
        offset = 0 if depth == 0 else next_start.get(depth, 0) + int(el.get("data-g", "0"))
        next_start[depth], next_start[depth + 1] = offset + lines, offset
        path = own if depth == 0 else paths[depth - 1] + own
        paths[depth] = "" if depth == 0 else path
        found[path] = Read(el, path, depth, offset, lines)
    return found


def true_offsets(node: Node, prefix: str = "", start: int = 0) -> dict[str, int]:
    """Every frame's offset in lines, from the tree (flamegraph.pl's order)."""
    found = {}
    for child in node.sorted_children():
        path = prefix + child.name + ("" if child.is_file else "/")
        found[path] = start
        found.update(true_offsets(child, path, start))
        start += child.lines
    return found


def test_frames_widths_depths_and_tooltips() -> None:
    root = build_tree(parse_cloc_csv(cloc_table()), "demo")
    drawing = draw_svg(root, title="demo: 820 lines")
    by_path = read_back(drawing.svg)
    assert set(by_path) == {
        "demo",
        "README.md",
        "pkg/",
        "pkg/cluster/",
        "pkg/cluster/config.go",
        "pkg/cluster/create.go",
        "pkg/util.go",
        "site/",
        "site/a.yaml",
    }
    config = by_path["pkg/cluster/config.go"].el
    # the hover text names the frame itself, as flamegraph.pl's does; the script adds the path
    assert tip(config) == "config.go\n588 lines of Go, 71.71% of 820"
    assert by_path["pkg/cluster/config.go"].lines == 588
    assert by_path["pkg/cluster/config.go"].depth == 3
    assert config.get("width") == "71.707%"  # 588 / 820
    assert tip(by_path["pkg/"].el) == "pkg/\n716 lines, 87.32% of 820"
    assert tip(by_path["demo"].el) == "demo\n820 lines of code, 100% of 820"
    assert by_path["demo"].el.get("width") == "100%"
    # flame orientation: the root at the bottom, each level one row higher
    assert int(by_path["demo"].el.get("y")) - int(config.get("y")) == 3 * FRAME_HEIGHT
    # alphabetical order: README.md, pkg/, site/ from left to right
    xs = [float(by_path[k].el.get("x").rstrip("%")) for k in ("README.md", "pkg/", "site/")]
    assert xs == sorted(xs) and xs[0] == 0
    # nothing the script can work out is written: no offsets, sizes or depths per frame
    assert not [a for f in frames(drawing.svg) for a in f.attrib if a.startswith("data-")]


def test_offsets_read_back_exactly_around_undrawn_frames() -> None:
    """Where narrow siblings are not drawn, ``data-g`` carries their lines: every drawn frame's
    offset, as the script reads it back, is the tree's, in the largest committed graph too."""
    records = read_cloc_csv(DATA / "kubernetes-staging-cloc-by-file.csv")
    tree = build_tree(records, "staging")
    drawing = draw_svg(tree, title="staging")
    assert drawing.hidden_frames > 1000
    offsets = true_offsets(tree)
    read = read_back(drawing.svg)
    assert len(read) == drawing.frames
    assert {p: r.offset for p, r in read.items() if r.depth} == {
        p: offsets[p] for p in read if p != "staging"
    }
    gaps = [f for f in frames(drawing.svg) if f.get("data-g")]
    assert gaps and all(int(f.get("data-g")) > 0 for f in gaps)


def test_icicle_puts_the_root_on_top() -> None:
    root = build_tree(parse_cloc_csv(cloc_table()), "demo")
    flame = {p: int(r.el.get("y")) for p, r in read_back(draw_svg(root, title="t").svg).items()}
    icicle = read_back(draw_svg(root, title="t", inverted=True).svg)
    top = {p: int(r.el.get("y")) for p, r in icicle.items()}
    assert top["demo"] < top["pkg/"] and flame["demo"] > flame["pkg/"]
    assert icicle["pkg/cluster/config.go"].depth == 3


def test_same_input_same_bytes() -> None:
    records = read_cloc_csv(DATA / "kind-cloc-by-file.csv")
    first = draw_svg(build_tree(records, "kind"), title="kind").svg
    again = draw_svg(build_tree(list(reversed(records)), "kind"), title="kind").svg
    assert first == again
    assert "/work/" not in first and "/tmp/" not in first


def test_narrow_frames_are_not_drawn_but_count_in_their_parents() -> None:
    records = [FileCount("big/a.go", "Go", 100_000)]
    records += [FileCount(f"small/f{i}.go", "Go", 1) for i in range(50)]
    root = build_tree(records, "r")
    drawing = draw_svg(root, title="r", min_width=0.1)  # 0.1 px of 1200 = 1/12000 of the total
    shown = read_back(drawing.svg)
    assert "small/f0.go" not in shown
    assert drawing.hidden_frames == 50
    assert shown["small/"].lines == 50  # the hidden files still make up their directory
    assert shown["r"].lines == 100050
    everything = draw_svg(root, title="r", min_width=0)
    assert everything.hidden_frames == 0 and everything.frames == drawing.frames + 50


def test_min_width_is_measured_in_flamegraph_pl_drawing_pixels() -> None:
    # flamegraph.pl: widthpertime = (1200 - 2 * 10) / total; a frame under 0.1 px is pruned,
    # so with 1,180,000 lines the cut is 100 lines (98.3 if it were 1,200 px)
    records = [FileCount("big.go", "Go", 1_180_000 - 199), FileCount("a/just.go", "Go", 100)]
    records.append(FileCount("b/under.go", "Go", 99))
    shown = set(read_back(draw_svg(build_tree(records, "r"), title="r").svg))
    assert "a/just.go" in shown
    assert "b/under.go" not in shown and "b/" not in shown


@pytest.mark.parametrize("name", [n for n in SOURCES if n != "self"])
def test_committed_graphs_stay_within_the_size_budget(name: str) -> None:
    records = read_cloc_csv(PROJECT_ROOT / "docs" / SOURCES[name].table)
    drawing = draw_svg(build_tree(records, name), title=name)
    assert len(drawing.svg.encode()) <= SVG_BUDGET_BYTES
    assert drawing.frames + drawing.hidden_frames == build_tree(records, "c").count_frames()


def test_markup_is_escaped_and_script_present() -> None:
    records = [FileCount("<b>&amp;/x.go", "Go", 3)]
    svg = draw_svg(build_tree(records, "r<&>"), title="r<&>").svg
    etree.fromstring(svg.encode())  # well-formed XML
    assert "<title>&lt;b&gt;&amp;amp;/\n" in svg
    assert "<b>&amp;/x.go" in read_back(svg)  # the path as the tooltip shows it
    assert re.search(r"<script><!\[CDATA\[.*zoom.*\]\]></script>", svg, re.S)


def test_share_formatting() -> None:
    assert format_share(1, 3) == "33.33%"
    assert format_share(1, 1_000_000) == "<0.01%"
    assert format_share(5, 5) == "100%"
