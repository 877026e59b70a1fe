"""Front matter is shown as written, never run as HTML (issue 13, item 5).

A post whose title, description, tags and author carry ``<script>``, ``<img onerror>`` and a
quote that would close an attribute, built with the real theme: every page, meta tag, the feed
and the search index show the text as written, and no page gains an element or attribute
the front matter spelled.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.site.sitebuild import Build, build_env, copy_project, run_build

pytestmark = pytest.mark.slow

TITLE = "<pre> versus <code>: </title><script>alert('title')</script>"
DESCRIPTION = "Ends the tag\"><script>alert('description')</script><img src=x onerror=alert(1)>"
TAG = "<img src=x onerror=alert('tag')>"
AUTHOR = "<img src=x onerror=alert('author')>"
AUTHOR_ABOUT = "</span><script>alert('about')</script>"
PAGE_TITLE = "About <b onmouseover=alert('nav')>us</b>"
POST = f"""---
title: {json.dumps(TITLE)}
description: {json.dumps(DESCRIPTION)}
date: 2026-01-02
authors: [evil]
categories: [Tooling]
tags:
  - {json.dumps(TAG)}
  - plain
slug: hostile
---

# `<pre>` versus `<code>`

The opening paragraph.

<!-- more -->

The rest.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("escaping")
    project = copy_project(base / "project")
    (project / "docs" / "index.md").write_text("# Home\n\nEscaping tests.\n", encoding="utf-8")
    about = f"---\ntitle: {json.dumps(PAGE_TITLE)}\ndescription: About.\n---\n\n# About\n\nText.\n"
    (project / "docs" / "about.md").write_text(about, encoding="utf-8")
    authors = project / "docs" / "blog" / ".authors.yml"
    authors.write_text(
        authors.read_text(encoding="utf-8")
        + f"  evil:\n    name: {json.dumps(AUTHOR)}\n    description: {json.dumps(AUTHOR_ABOUT)}\n"
        "    avatar: ../../assets/avatar.svg\n",
        encoding="utf-8",
    )
    post = project / "docs" / "blog" / "posts" / "2026-01-02-hostile.md"
    post.write_text(POST, encoding="utf-8")
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(base / "cache"))
    build = run_build(project, base / "site", env=env)
    assert build.returncode == 0, build.log
    return build


def _pages(site: Build) -> list[Path]:
    return sorted(site.site.rglob("*.html"))


def test_no_page_gains_a_script_or_an_event_attribute(site: Build):
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert(" not in script.get_text(), path
        for element in soup.find_all(True):
            assert not any(a.lower().startswith("on") for a in element.attrs), (path, element)


def test_post_page_shows_the_front_matter_as_written(site: Build):
    page = next(site.site.rglob("hostile/index.html"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == f"{TITLE} - Control Loop"
    assert [m["content"] for m in soup.find_all("meta", attrs={"name": "description"})] == [
        DESCRIPTION
    ]
    assert soup.find("meta", property="og:title")["content"] == TITLE
    assert soup.find("meta", property="og:description")["content"] == DESCRIPTION
    assert [m["content"] for m in soup.find_all("meta", property="article:tag")] == [TAG, "plain"]
    assert (
        soup.select_one(".md-header__topic + .md-header__topic, .md-header__title")
        .get_text(" ", strip=True)
        .endswith(TITLE)
    )
    assert [t.get_text() for t in soup.select(".md-tag")] == [TAG, "plain"]
    assert AUTHOR in [img["alt"] for img in soup.select(".md-author img")]
    assert AUTHOR_ABOUT in soup.get_text()
    assert soup.h1.get_text().startswith("<pre> versus <code>")


def test_a_page_title_reads_as_written_in_its_head_and_header(site: Build):
    about = BeautifulSoup((site.site / "about" / "index.html").read_text(), "html.parser")
    assert about.title.get_text() == f"{PAGE_TITLE} - Control Loop"
    topics = [t.get_text(" ", strip=True) for t in about.select(".md-header__topic")]
    assert PAGE_TITLE in topics, topics
    assert about.find(attrs={"onmouseover": True}) is None


def test_listings_show_the_front_matter_as_written(site: Build):
    blog = BeautifulSoup((site.site / "blog" / "index.html").read_text(), "html.parser")
    links = [a["aria-label"] for a in blog.select(".md-post__action a")]
    assert f"Read more: {TITLE}" in links
    tags = BeautifulSoup((site.site / "tags" / "index.html").read_text(), "html.parser")
    assert TAG in [t.get_text() for t in tags.select(".md-tag")]
    assert TITLE in tags.get_text()


def test_feed_and_search_index_carry_text(site: Build):
    channel = ET.parse(site.site / "feed_rss_created.xml").getroot().find("channel")
    [item] = channel.findall("item")
    assert item.findtext("title") == TITLE  # RSS titles are plain text
    # RSS descriptions are HTML: the reader's HTML parser turns it back into the text
    description = BeautifulSoup(item.findtext("description"), "html.parser")
    assert description.get_text() == DESCRIPTION and description.find(True) is None
    assert TAG in [c.text for c in item.findall("category")]
    index = json.loads((site.site / "search" / "search_index.json").read_text())
    for doc in index["docs"]:
        shown = BeautifulSoup(doc["title"], "html.parser")  # Material shows titles as HTML
        assert shown.find(["script", "img"]) is None, doc["title"]
