"""Drawing: what the SVG holds (frames, widths, tooltips), determinism, narrow frames."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from hooks import PROJECT_ROOT
from hooks.flame.count import FileCount, parse_cloc_csv, read_cloc_csv
from hooks.flame.draw import FRAME_HEIGHT, draw_svg, format_share
from hooks.flame.fold import build_tree
from hooks.flame.sources import SOURCES, SVG_BUDGET_BYTES
from tests.flame.conftest import cloc_table

SVG = "{http://www.w3.org/2000/svg}"
DATA = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"


def frames(svg: str) -> list[etree._Element]:
    root = etree.fromstring(svg.encode())
    return root.findall(f"{SVG}g[@id='frames']/{SVG}svg")


def tip(frame: etree._Element) -> str:
    return frame.find(f"{SVG}title").text


def test_frames_widths_depths_and_tooltips() -> None:
    root = build_tree(parse_cloc_csv(cloc_table()), "demo")
    drawing = draw_svg(root, title="demo: 820 lines")
    by_tip = {tip(f).split("\n")[0]: f for f in frames(drawing.svg)}
    assert set(by_tip) == {
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
    config = by_tip["pkg/cluster/config.go"]
    assert tip(config) == "pkg/cluster/config.go\n588 lines of Go, 71.71% of 820"
    assert config.get("data-n") == "588" and config.get("data-d") == "3"
    assert config.get("width") == "71.7073%"  # 588 / 820
    assert tip(by_tip["pkg/"]) == "pkg/\n716 lines, 87.32% of 820"
    assert by_tip["demo"].get("width") == "100%"
    # flame orientation: the root at the bottom, each level one row higher
    assert int(by_tip["demo"].get("y")) - int(config.get("y")) == 3 * FRAME_HEIGHT
    # alphabetical order: README.md, pkg/, site/ from left to right
    xs = [float(by_tip[k].get("x").rstrip("%")) for k in ("README.md", "pkg/", "site/")]
    assert xs == sorted(xs) and xs[0] == 0


def test_icicle_puts_the_root_on_top() -> None:
    root = build_tree(parse_cloc_csv(cloc_table()), "demo")
    flame = {tip(f).split("\n")[0]: int(f.get("y")) for f in frames(draw_svg(root, title="t").svg)}
    icicle = draw_svg(root, title="t", inverted=True).svg
    top = {tip(f).split("\n")[0]: int(f.get("y")) for f in frames(icicle)}
    assert top["demo"] < top["pkg/"] and flame["demo"] > flame["pkg/"]


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
    shown = {tip(f).split("\n")[0]: f for f in frames(drawing.svg)}
    assert "small/f0.go" not in shown
    assert drawing.hidden_frames == 50
    small = shown["small/"]
    assert small.get("data-n") == "50"  # the hidden files still make up their directory
    assert shown["r"].get("data-n") == "100050"
    everything = draw_svg(root, title="r", min_width=0)
    assert everything.hidden_frames == 0 and everything.frames == drawing.frames + 50


def test_min_width_is_measured_in_flamegraph_pl_drawing_pixels() -> None:
    # flamegraph.pl: widthpertime = (1200 - 2 * 10) / total; a frame under 0.1 px is pruned,
    # so with 1,180,000 lines the cut is 100 lines (98.3 if it were 1,200 px)
    records = [FileCount("big.go", "Go", 1_180_000 - 199), FileCount("a/just.go", "Go", 100)]
    records.append(FileCount("b/under.go", "Go", 99))
    shown = {
        tip(f).split("\n")[0] for f in frames(draw_svg(build_tree(records, "r"), title="r").svg)
    }
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
    assert "&lt;b&gt;&amp;amp;/x.go" in svg
    assert re.search(r"<script><!\[CDATA\[.*zoom.*\]\]></script>", svg, re.S)


def test_share_formatting() -> None:
    assert format_share(1, 3) == "33.33%"
    assert format_share(1, 1_000_000) == "<0.01%"
    assert format_share(5, 5) == "100%"
