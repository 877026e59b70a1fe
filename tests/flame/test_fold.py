"""Folding: hand-computed stacks, the root total, escapes."""

from __future__ import annotations

import pytest

from hooks.flame import FlameError
from hooks.flame.count import FileCount, parse_cloc_csv
from hooks.flame.fold import build_tree, escape_frame, folded_lines, folded_text
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
