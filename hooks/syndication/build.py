"""MkDocs glue for the feed: posts' checked front matter in, ``feed_rss_created.xml`` out.

Why not mkdocs-rss-plugin: it imports GitPython, requests and cachecontrol for features this
site turns off (git dates, remote images, social cards), and reads every page again; those
imports alone cost more than the rest of our hooks together (``benchmarks/bench_site.py``).
Here the posts' front matter is the one the front-matter check already parsed, and the URLs are
the ones Material's blog plugin gave each post, read from MkDocs' ``Files`` once.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from hooks.syndication.feed import Channel, FeedEntry, rss_document

#: Where the feed is published (the address subscribers already use; keep it stable).
FEED_PATH = "feed_rss_created.xml"
#: Posts give a date only; they are published at this time of that day.
PUBLISH_TIME = dt.time(9, 0, tzinfo=dt.UTC)


def published_at(value: Any) -> dt.datetime:
    """A post's ``date`` (checked earlier: YYYY-MM-DD, optionally with a time) as a moment."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, PUBLISH_TIME)
    else:
        text = str(value).strip()
        moment = dt.datetime.fromisoformat(text)
        if len(text) <= 10:  # a date without a time
            moment = dt.datetime.combine(moment.date(), PUBLISH_TIME)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def entry(data: dict[str, Any], url: str, author_names: dict[str, str]) -> FeedEntry:
    """One post's feed item from its front matter (already validated) and its absolute URL."""
    categories = [str(c) for c in data.get("categories") or []]
    categories += [str(t) for t in data.get("tags") or [] if str(t) not in categories]
    return FeedEntry(
        title=str(data["title"]),
        url=url,
        published=published_at(data["date"]),
        # RSS 2.0 reads <description> as HTML: front matter is text, so it is escaped for HTML
        # (then for XML by ElementTree); <title> and <category> are plain text already
        description=html.escape(str(data.get("description") or ""), quote=False),
        categories=tuple(categories),
        authors=tuple(author_names.get(a, a) for a in data.get("authors") or []),
    )


@dataclass
class FeedBuild:
    """The feed of one build: posts collected in ``on_files``, written in ``on_env``."""

    front_matter: dict[str, dict[str, Any]] = field(default_factory=dict)  # src_uri -> data
    author_names: dict[str, str] = field(default_factory=dict)
    file: File | None = None

    def add_file(
        self,
        files: Files,
        config: MkDocsConfig,
        front_matter: dict[str, dict[str, Any]],
        author_names: dict[str, str],
    ) -> Files:
        """Remember the valid posts; reserve the feed's place so links to it resolve."""
        self.front_matter, self.author_names = front_matter, author_names
        self.file = files.get_file_from_path(FEED_PATH)
        if self.file is None:
            self.file = File.generated(config, FEED_PATH, content=b"")
            files.append(self.file)
        return files

    def write(self, files: Files, config: MkDocsConfig) -> None:
        """Fill the feed once every post has its final URL (after the blog plugin's ``on_nav``)."""
        if self.file is None:
            return
        site_url = config.site_url or "/"
        entries = []
        for src_uri, data in self.front_matter.items():
            post = files.get_file_from_path(src_uri)
            if post is None or not post.inclusion.is_included():  # drafts stay out
                continue
            entries.append(entry(data, urljoin(site_url, post.url), self.author_names))
        channel = Channel(
            title=config.site_name,
            link=site_url,
            description=config.site_description or config.site_name,
            self_url=urljoin(site_url, FEED_PATH),
            language=config.theme.get("language") or "en",
        )
        self.file.content_bytes = rss_document(channel, entries)

    def link_tag(self, page: Page) -> str:
        """``<link rel="alternate">`` for the page's head, so browsers and readers find it."""
        href = get_relative_url(FEED_PATH, page.url or ".")
        return f'<link rel="alternate" type="application/rss+xml" title="RSS feed" href="{href}">'
