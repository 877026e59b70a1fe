"""Under `mkdocs serve` a failing block does not stop the build, so its badge must say so.

Pages are rendered while the blocks run; the served page is corrected once the runs are over.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hooks.snippetkit.build import ServedVerdict, mark_outcomes, rewrite_markdown
from tests.site.sitebuild import copy_project, serving

F = "```"
PAGE = f"""# About

A block whose output is wrong:

{F}console test="run" session="a"
$ echo actual
expected
{F}

A block after it in the same session still runs:

{F}console test="run" session="a"
$ echo next
next
{F}

A block that runs out of time ends its session:

{F}console test="run" session="b" timeout="1"
$ sleep 20
{F}

{F}console test="run" session="b"
$ echo never
never
{F}

An unrelated passing block:

{F}console test="run" session="c"
$ echo fine
fine
{F}
"""


def _badges(page_html: str) -> list[str]:
    doc = BeautifulSoup(page_html, "html.parser")
    return [span.get_text() for span in doc.select(".cl-snippet > .cl-badge")]


@pytest.mark.slow
def test_served_page_shows_failed_and_skipped_blocks(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "about.md").write_text(PAGE)
    with serving(project, tmp_path / "serve.log") as served:
        body = served.wait_for("/about/")
        assert _badges(body) == [
            "failed: see the report above",
            "tested at build",
            "failed: see the report above",
            "skipped: docs/about.md:19 ended the session",
            "tested at build",
        ]
        log = served.log.read_text()
        assert 'docs/about.md:5: console block (session "a") failed' in log
        # the report, diff included, is on the page above the block, not only in the log
        doc = BeautifulSoup(body, "html.parser")
        panels = doc.select(".cl-snippet-failure")
        assert len(panels) == 2
        title = panels[0].select_one(".admonition-title").get_text()
        assert title.startswith('docs/about.md:5: console block (session "a") failed')
        assert "-expected" in panels[0].get_text() and "+actual" in panels[0].get_text()
        assert panels[0].find_next_sibling(class_="cl-snippet") is not None
        assert "docs/about.md:19:" in log


def test_only_blocks_with_a_new_verdict_change() -> None:
    page = (
        '<div class="language-console cl-snippet cl-tested highlight" data-cl-badge="tested at '
        'build" data-cl-line="5"><span class="cl-badge cl-badge--tested">tested at build</span>'
        "<pre>a</pre></div>"
        '<div class="language-console cl-snippet cl-tested highlight" data-cl-badge="tested at '
        'build" data-cl-line="9"><span class="cl-badge cl-badge--tested">tested at build</span>'
        "<pre>b</pre></div>"
    )
    out = mark_outcomes(page, {9: ServedVerdict("failed", "failed: <see> log")})
    assert _badges(out) == ["tested at build", "failed: <see> log"]
    assert '<span class="cl-badge cl-badge--failed">failed: &lt;see&gt; log</span>' in out


def test_lines_are_tagged_only_when_asked() -> None:
    md = f'{F}console test="run"\n$ true\n{F}\n'
    assert "data-cl-line" not in rewrite_markdown(md, {0: "tested at build"})
    tagged = rewrite_markdown(md, {0: "tested at build"}, line_offset=4)
    assert 'data-cl-line="5"' in tagged.splitlines()[0]
