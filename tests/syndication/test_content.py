# ruff: noqa: E501  (PAGE is a verbatim page fragment, as the build writes it)
"""The HTML a feed reader gets for a post: standalone, absolute, script-free (content.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from hooks import machinekey
from hooks.cache import _MAGIC, Cache
from hooks.syndication import Channel, FeedEntry, rss_document
from hooks.syndication.build import FeedBuild, item_html
from hooks.syndication.content import feed_html

URL = "https://example.org/sub/blog/2026/10/05/post/"

PAGE = """
<h1 id="t">Title<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>
<p>See <a href="../../../../../about/">about</a> and <a href="#t">here</a>.</p>
<!-- more -->
<figure class="cl-diagram" data-diagram="loop">
<a class="glightbox cl-diagram-light" data-type="image" href="../../../../../assets/diagrams/loop-light.svg#only-light"><img alt="The loop" src="../../../../../assets/diagrams/loop-light.svg#only-light" loading="lazy" /></a><a class="glightbox cl-diagram-dark" href="../../../../../assets/diagrams/loop-dark.svg#only-dark"><img alt="The loop" src="../../../../../assets/diagrams/loop-dark.svg#only-dark" /></a>
<figcaption>The loop.</figcaption></figure>
<div class="cl-snippet" data-cl-badge="tested at build"><a class="cl-badge cl-badge--tested" href="../../../../../about/#tested-code" title="Runs at every build">tested at build</a><pre><span></span><code><span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>$ echo hi</span></code></pre></div>
<figure class="flame-graph"><object class="flame-graph__svg" type="image/svg+xml" data="../../../../../assets/flame/kind.svg" aria-label="Flame graph of kind"><a href="../../../../../assets/flame/kind.svg">Flame graph of kind</a></object><figcaption>kind.</figcaption></figure>
<script>alert(1)</script><img src="x.png" onerror="alert(2)">
<a href="javascript:alert(3)">click</a><button>Copy</button>
"""


def _doc() -> BeautifulSoup:
    return BeautifulSoup(feed_html(PAGE, URL), "html.parser")


def test_every_link_and_image_is_absolute() -> None:
    doc = _doc()
    urls = [a["href"] for a in doc.find_all("a", href=True)] + [i["src"] for i in doc("img")]
    assert urls and all(u.startswith("https://example.org/sub/") for u in urls), urls
    assert doc.find("a", string="about")["href"] == "https://example.org/sub/about/"
    assert doc.find("a", string="here")["href"] == URL + "#t"


def test_a_diagram_is_its_light_svg_once() -> None:
    doc = _doc()
    figure = doc.find("figure")
    images = figure.find_all("img")
    assert [i["src"] for i in images] == ["https://example.org/sub/assets/diagrams/loop-light.svg"]
    assert images[0]["alt"] == "The loop"
    assert figure.find("a") is None  # no zoom link
    assert figure.figcaption.get_text() == "The loop."


def test_a_badge_is_plain_text_before_its_block() -> None:
    doc = _doc()
    assert doc.find(class_="cl-badge") is None
    label = doc.find("p", string="Tested at build:")
    assert label is not None and label.find_next("pre").get_text() == "$ echo hi"
    assert doc.select("pre a") == []  # line-number anchors gone


def test_a_flame_graph_is_a_link_to_its_svg() -> None:
    doc = _doc()
    assert doc.find("object") is None
    link = doc.find("a", string="Flame graph of kind")
    assert link["href"] == "https://example.org/sub/assets/flame/kind.svg"


def test_no_script_handler_or_theme_machinery_survives() -> None:
    html = feed_html(PAGE, URL)
    doc = BeautifulSoup(html, "html.parser")
    assert doc.find_all(["script", "button", "object"]) == []
    for el in doc.find_all(True):
        assert not [a for a in el.attrs if a.startswith(("on", "data-")) or a == "class"], el
    assert "javascript:" not in html and "alert(1)" not in html
    assert "¶" not in html  # permalink anchors gone
    assert "<!--" not in html


def test_same_html_gives_the_same_bytes_and_empty_stays_empty() -> None:
    assert feed_html(PAGE, URL) == feed_html(PAGE, URL)
    assert feed_html("", URL) == ""


def test_feed_reader_gets_the_full_content() -> None:
    entry = FeedEntry(
        title="Post",
        url=URL,
        published=dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC),
        description="About it.",
        content=feed_html(PAGE, URL),
    )
    channel = Channel("Site", "https://example.org/sub/", "d", "https://example.org/sub/f.xml")
    feed = feedparser.parse(rss_document(channel, [entry]))
    assert not feed.bozo
    (item,) = feed.entries
    assert item.summary == "About it."
    assert item.content[0].type == "text/html"
    value = item.content[0].value
    assert "loop-light.svg" in value and "Tested at build:" in value and "<script" not in value


def test_remembered_item_is_the_hosts_own_never_a_forged_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warm builds take an item's HTML from a sealed cache entry; a forged one (plain
    checksum, as anyone who can write ``.cache/`` can make) is dropped and the page re-read."""
    monkeypatch.setenv(machinekey.KEY_FILE_ENV, str(tmp_path / "state" / "cache.key"))
    machinekey.machine_key.cache_clear()
    try:
        assert FeedBuild().cache.sealed, "the build's feed cache must be sealed"
        cache = Cache("feed", tmp_path / "cache", sealed=True)
        expected = feed_html(PAGE, URL)
        assert item_html(PAGE, URL, cache) == expected
        (entry,) = [p for p in cache.dir.rglob("*") if p.is_file()]
        assert item_html(PAGE, URL, cache) == expected  # read back, sealed
        forged = b"<script>alert(document.domain)</script>"
        entry.write_bytes(_MAGIC + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
        assert item_html(PAGE, URL, cache) == expected
        assert b"<script>" not in entry.read_bytes()
    finally:
        machinekey.machine_key.cache_clear()
