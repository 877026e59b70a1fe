"""Tested code as readers see it on the built site: recorded output, honest badges, copy buttons.

Issue 14's "done when", checked on the real site (``built_site``) and, for the copy buttons, in
Debian's Chromium: what a reader pastes into a terminal is exactly the commands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from hooks import PROJECT_ROOT
from hooks.snippetkit.discover import parse_file
from hooks.snippetkit.display import console_copy
from hooks.snippetkit.pytest_plugin import transcript_problems
from hooks.snippetkit.transcripts import load_store, store_path
from tests.browser import chromium
from tests.site.conftest import html_pages
from tests.site.sitebuild import Build

POSTS = sorted((PROJECT_ROOT / "docs" / "blog" / "posts").glob("*.md"))
#: Regular-expression syntax no reader's terminal prints: classes with ranges, escapes such as
#: ``\S`` or ``\.``, counted repeats, ``.*``, groups with ``?``.
REGEX_SYNTAX = re.compile(r"\[[^\]\s]*\w-\w[^\]\s]*\][+*?{]?|\\[dDsSwW.]|\{\d+(,\d*)?\}|\.\*|\(\?")
PATTERN_SUFFIX = re.compile(r" \((re|glob|esc)\)$")


def _post_html(site: Path, post: Path) -> BeautifulSoup:
    slug = post.stem[len("2026-09-14-") :]
    date = post.stem[:10].replace("-", "/")
    return BeautifulSoup((site / "blog" / date / slug / "index.html").read_text(), "html.parser")


def _code_lines(doc: BeautifulSoup) -> Iterator[tuple[str, str]]:
    for div in doc.select("div.highlight"):
        lang = next((c for c in div.get("class", []) if c.startswith("language-")), "")
        code = div.select_one("code")
        if code is not None:
            for line in code.get_text().splitlines():
                yield lang, line


def test_no_code_line_shows_a_pattern(built_site: Build) -> None:
    for page in html_pages(built_site.site):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for lang, line in _code_lines(doc):
            assert not PATTERN_SUFFIX.search(line), f"{page}: {line}"
            is_output = lang == "language-console" and not line.startswith(("$ ", "> "))
            if is_output:
                assert not REGEX_SYNTAX.search(line), f"{page}: output line looks like regex: {line}"


def test_no_badge_says_skipped_for_a_missing_tool(built_site: Build) -> None:
    texts = []
    for page in html_pages(built_site.site):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        texts.extend(b.get_text() for b in doc.select(".cl-badge"))
    assert texts
    assert not [t for t in texts if t.startswith("skipped: requires")]
    cluster = [t for t in texts if "cluster" in t or t.startswith("ran on kind")]
    assert cluster, "the cluster blocks say they are validated / where they ran"


def test_every_badge_links_to_the_explanation_and_says_what_happened(built_site: Build) -> None:
    about = BeautifulSoup((built_site.site / "about" / "index.html").read_text(), "html.parser")
    assert about.select_one("#tested-code") is not None
    for post in POSTS:
        for badge in _post_html(built_site.site, post).select(".cl-badge"):
            assert badge.name == "a"
            assert badge["href"] == "../../../../../about/#tested-code"
            assert len(badge["title"]) > 30


def test_every_file_block_shows_its_name(built_site: Build) -> None:
    for post in POSTS:
        wanted = [
            b.file for b in parse_file(post).blocks if b.file and "title" not in b.options
        ]
        shown = [s.get_text() for s in _post_html(built_site.site, post).select(".filename")]
        missing = [name for name in wanted if name not in shown]
        assert not missing, f"{post.name}: no title for {missing}"


def test_every_local_block_shows_its_recorded_output(built_site: Build) -> None:
    for post in POSTS:
        page = parse_file(post)
        assert transcript_problems(post, page.blocks) == {}, post.name
        text = _post_html(built_site.site, post).get_text()
        store = load_store(store_path(post))
        assert not store.errors
        for rec in store.recordings.values():
            for step in rec.steps:
                if step.output and rec.kind != "pycon":
                    assert step.output in text, f"{post.name}: {step.output[:60]!r} not shown"


@pytest.mark.browser
def test_copy_button_copies_only_the_commands(built_site: Build, site_url: str) -> None:
    browser: Browser
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        checked = 0
        for post in POSTS:
            blocks = [
                b for b in parse_file(post).blocks if b.lang in ("console", "shell-session")
            ]
            slug = post.stem[len("2026-09-14-") :]
            page.goto(f"{site_url}blog/{post.stem[:10].replace('-', '/')}/{slug}/")
            consoles = page.locator("div.language-console.highlight")
            assert consoles.count() == len(blocks), post.name
            for i, block in enumerate(blocks):
                div = consoles.nth(i)
                div.scroll_into_view_if_needed()
                div.hover()
                div.locator("button[data-md-type=copy]").click()  # Material 9.8
                copied = page.evaluate("navigator.clipboard.readText()")
                assert copied == console_copy(block.text), f"{block.id}"
                assert "$ " not in copied.splitlines()[0][:2]
                checked += 1
        context.close()
    assert checked >= 20
