"""Hostile cloc tables and cache entries (issue 13): one ``path:line`` message, never a crash.

A committed table arrives in a pull request like any other file: a 1,500-level path
(RecursionError while drawing), a 400-digit count (OverflowError) or a control character in a
file name (a published SVG that is not well-formed XML) each end with a message naming the
table's line, and the page shows a placeholder. A forged cache entry is drawn again.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from hooks import svgsafe
from hooks.cache import Cache
from hooks.flame import FlameError
from hooks.flame import sources as flame_sources
from hooks.flame.count import FileCount, parse_cloc_csv
from hooks.flame.embed import FlamePages
from hooks.flame.fold import build_tree
from hooks.flame.trusted import TRUSTED_BLOCKS
from hooks.reporting import BuildReport
from tests.flame.test_embed import site  # noqa: F401  (the fixture)

HEADER = "language,filename,blank,comment,code\n"
GOOD = "Go,./pkg/ok.go,1,1,20\n"
ROWS = {
    "deep": "Go,./" + "/".join(["d"] * 1500) + "/x.go,0,0,10\n",
    "digits": "Go,./a.go,0,0," + "9" * 400 + "\n",
    "control": "Go,./a\x1bb.go,0,0,10\n",
}
MESSAGES = {
    "deep": "t.csv:3: the path is 1501 levels deep; at most 64 are drawn",
    "digits": "t.csv:3: 400-digit code count; at most 100,000,000 lines per file",
    "control": "t.csv:3: the file name holds the control character U+001B; "
    "rename the file or remove the row",
}


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_hostile_row_is_refused_at_its_line(kind: str) -> None:
    with pytest.raises(FlameError) as exc:
        parse_cloc_csv(HEADER + GOOD + ROWS[kind], origin="t.csv")
    assert str(exc.value) == MESSAGES[kind]


def test_records_from_anywhere_are_bounded_before_drawing() -> None:
    """Records read back from the cache never passed the table check: the tree checks too."""
    deep = FileCount("/".join(["d"] * 1500), "Go", 10)
    with pytest.raises(FlameError, match="1500 levels deep; at most 64"):
        build_tree([deep], "root")
    with pytest.raises(FlameError, match="code lines; at most 100,000,000"):
        build_tree([FileCount("a.go", "Go", 10**400)], "root")


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_hostile_committed_table_shows_a_placeholder_and_one_message(
    kind: str,
    site: SimpleNamespace,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = site.docs / "assets" / "data" / "kind-cloc-by-file.csv"
    table.write_text(HEADER + GOOD + ROWS[kind], encoding="utf-8")
    monkeypatch.setattr(flame_sources, "PROJECT_ROOT", tmp_path)
    page_path = site.docs / "blog" / "posts" / "p.md"
    markdown = 'Intro.\n![Lines of kind](flame:kind "Kind")\n'
    page_path.write_text(markdown, encoding="utf-8")
    page = SimpleNamespace(file=site.files.get_file_from_path("blog/posts/p.md"))
    report = BuildReport()
    cache = Cache("flame", tmp_path / "cache")
    out = FlamePages(report, cache).page_markdown(markdown, page, site.config, site.files)
    expected = MESSAGES[kind].replace("t.csv", "docs/assets/data/kind-cloc-by-file.csv")
    assert [str(e) for e in report.errors] == [
        f"{page_path.as_posix()}:2: flame graph 'kind' could not be drawn: {expected}"
    ]
    assert 'class="admonition failure flame-graph-error"' in out.split("\n")[1]
    assert site.files.get_file_from_path("assets/flame/kind.svg") is None


def test_published_flame_svg_passes_the_allow_list_with_its_own_script_only() -> None:
    records = parse_cloc_csv(HEADER + GOOD + "Go,./pkg/<img onerror=x>.go,0,0,5\n")
    drawn = flame_sources.render_records(records, root="r")
    svgsafe.check(drawn.svg, TRUSTED_BLOCKS)
    etree.fromstring(drawn.svg.encode())  # well-formed
    tampered = drawn.svg.replace("<script><![CDATA[\n", "<script><![CDATA[\nfetch('//x');", 1)
    assert svgsafe.reason(tampered, TRUSTED_BLOCKS) == (
        "<script> is not allowed (only the host's own, unchanged)"
    )
    assert svgsafe.reason(drawn.svg) is not None  # without the trusted blocks: refused


def test_forged_flame_cache_entry_is_drawn_again(tmp_path: Path) -> None:
    cache = Cache("flame", tmp_path / "cache")
    honest = flame_sources.render_source("kind", cache)
    [entry] = [p for p in cache.dir.rglob("*") if p.is_file()]
    key = entry.name
    forged = honest.svg.replace("<script><![CDATA[\n", "<script><![CDATA[\nalert(1);", 1)
    cache.put_json(key, {**cache.get_json(key), "svg": forged})  # every other field honest
    again = flame_sources.render_source("kind", cache)
    assert again.svg == honest.svg
    assert cache.get_json(key)["svg"] == honest.svg, "the forged entry is replaced"


def test_the_build_cache_drops_forged_flame_entries(tmp_path: Path) -> None:
    plain = Cache("flame", tmp_path / "cache")
    honest = flame_sources.render_source("kind", plain)
    [entry] = [p for p in plain.dir.rglob("*") if p.is_file()]
    built = Cache("flame", tmp_path / "cache", validate_json=flame_sources.valid_entry)
    assert built.get_json(entry.name)["svg"] == honest.svg
    forged = honest.svg.replace("<script><![CDATA[\n", "<script><![CDATA[\nalert(1);", 1)
    stored = plain.get_json(entry.name)
    plain.put_json(entry.name, {**stored, "svg": forged})
    assert built.get_json(entry.name) is None
    # the legend the page draws is held to its shape too: (colour class, text) pairs
    plain.put_json(entry.name, {**stored, "legend": [1]})
    assert built.get_json(entry.name) is None
    plain.put_json(entry.name, stored)
    assert built.get_json(entry.name) == stored
    deep = [["/".join(["d"] * 1500), "Go", 1]]
    plain.put_json("ab" * 32, deep)
    assert built.get_json("ab" * 32) is None
    plain.put_json("cd" * 32, [["a\x01.go", "Go", 1]])
    assert built.get_json("cd" * 32) is None
    plain.put_json("ef" * 32, [["a.go", "Go", 3]])
    assert built.get_json("ef" * 32) == [["a.go", "Go", 3]]


def test_hostile_folded_lines_are_refused_at_their_line() -> None:
    from hooks.flame.fold import parse_folded

    for text, message in (
        ("a;b 1\n" + ";".join(["d"] * 1500) + ";x.go 3\n", "s.folded:2: the path is 1501 levels"),
        ("a;b 1\na;c " + "9" * 5000 + "\n", "s.folded:2: 5000-digit count"),
        ("a;b\x07c 1\n", "s.folded:1: the file name holds the control character U+0007"),
    ):
        with pytest.raises(FlameError) as exc:
            parse_folded(text, origin="s.folded")
        assert str(exc.value).startswith(message), exc.value
