"""Folding: hand-computed stacks, the root total, escapes."""

from __future__ import annotations

import pytest

from hooks.flame import FlameError
from hooks.flame.count import FileCount, parse_cloc_csv
from hooks.flame.fold import (
    build_tree,
    escape_frame,
    folded_lines,
    folded_text,
    looks_folded,
    parse_folded,
)
from tests.flame.conftest import FOLDED, TOTAL, cloc_table


@pytest.mark.parametrize(
    "text",
    [
        cloc_table(),
        cloc_table(blank_before_header=True),
        cloc_table(delimiter="\t"),
        cloc_table(delimiter="\t", sum_delimiter=","),
    ],
    ids=["cloc-1.96", "blank-before-header", "tab-sum-tab", "tab-sum-comma"],
)
def test_folded_stacks_match_hand_computed(text: str) -> None:
    assert folded_text(parse_cloc_csv(text)) == FOLDED


def test_root_total_is_the_sum_of_code_lines_not_double() -> None:
    records = parse_cloc_csv(cloc_table(delimiter="\t"))
    root = build_tree(records, "demo")
    assert root.lines == TOTAL == sum(int(line.rsplit(" ", 1)[1]) for line in FOLDED.splitlines())
    pkg = root.children["pkg"]
    assert pkg.lines == 588 + 120 + 8
    assert pkg.children["cluster"].lines == 708
    assert sorted(root.children) == ["README.md", "pkg", "site"]
    assert root.depth() == 4  # root, pkg, cluster, config.go


def test_semicolons_percent_and_newlines_are_escaped() -> None:
    assert escape_frame("a;b") == "a%3Bb"
    assert escape_frame("50%") == "50%25"
    assert escape_frame("x\ny") == "x%0Ay"
    lines = folded_lines([FileCount("odd;dir/file;1.txt", "Text", 5)])
    assert lines == ["odd%3Bdir;file%3B1.txt 5"]
    assert lines[0].count(";") == 1  # one frame boundary: flamegraph.pl sees two frames


def test_duplicates_merge_and_empty_files_are_left_out() -> None:
    records = [
        FileCount("a/x.go", "Go", 3),
        FileCount("./a/x.go", "Go", 4),
        FileCount("a/empty.go", "Go", 0),
    ]
    assert folded_lines(records) == ["a;x.go 7"]
    assert build_tree(records, "r").lines == 7


def test_nothing_to_draw() -> None:
    with pytest.raises(FlameError, match="lists no file with code lines"):
        build_tree([FileCount("a.txt", "Text", 0)], "r")


def test_siblings_stand_in_flamegraph_pl_order_of_whole_lines() -> None:
    # flamegraph.pl sorts whole folded lines: "openapi3;..." < "openapi;..." because '3' < ';'
    records = [
        FileCount("openapi/a.go", "Go", 5),
        FileCount("openapi3/b.go", "Go", 7),
        FileCount("open.go", "Go", 1),
        FileCount("Zeta.go", "Go", 2),
    ]
    tree = build_tree(records, "r")
    order = [child.name for child in tree.sorted_children()]
    first_frames = []
    for line in folded_lines(records):  # the order flamegraph.pl merges them in
        frame = line.rsplit(" ", 1)[0].split(";")[0]
        if frame not in first_frames:
            first_frames.append(frame)
    assert order == first_frames == ["Zeta.go", "open.go", "openapi3", "openapi"]


def test_folded_stacks_read_back_into_the_same_tree() -> None:
    text = FOLDED + "odd%3Bdir;java/lang/Thread.run 4\npkg;util.go 2\n"
    stacks = parse_folded(text, origin="x.folded")
    assert stacks[("pkg", "util.go")] == (10, "")  # equal stacks summed, as flamegraph.pl does
    assert stacks[("odd;dir", "java/lang/Thread.run")] == (4, "")  # '/' stays inside a frame
    tree = build_tree(stacks, "r")
    assert tree.lines == TOTAL + 6
    assert folded_text(stacks).splitlines()[-1] == "site;a.yaml 74"
    assert looks_folded(text) and not looks_folded(cloc_table())


@pytest.mark.parametrize(
    "bad", ["pkg;a.go", "pkg;a.go 1.5", " 12"], ids=["no-count", "fraction", "empty-stack"]
)
def test_bad_folded_line_names_its_line(bad: str) -> None:
    with pytest.raises(FlameError) as exc:
        parse_folded(f"a;b 1\n{bad}\n", origin="x.folded")
    assert str(exc.value).startswith(
        "x.folded:2: not a folded stack: expected 'frame;frame;file COUNT'"
    )
