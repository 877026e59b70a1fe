"""MkDocs glue for the feed: posts' checked front matter in, ``feed_rss_created.xml`` out.

Why not mkdocs-rss-plugin: it imports GitPython, requests and cachecontrol for features this
site turns off (git dates, remote images, social cards), and reads every page again; those
imports alone cost more than the rest of our hooks together (``benchmarks/bench_site.py``).
Here the posts' front matter is the one the front-matter check already parsed, and the URLs are
the ones Material's blog plugin gave each post, read from MkDocs' ``Files`` once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from hooks.cache import Cache, digest
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


_CONTENT_CODE = Path(__file__).with_name("content.py")


@functools.cache
def _content_code() -> str:
    """What an item's HTML depends on besides the page: ``content.py`` and lxml's version."""
    return digest(_CONTENT_CODE.read_bytes(), importlib.metadata.version("lxml"))


def item_html(content: str, url: str, cache: Cache) -> str:
    """``feed_html(content, url)``, remembered in a sealed namespace (it is the host's own
    output, so only this machine's seal reads back: a forged entry could carry script).

    A warm build re-parses no post: lxml's parse and serialisation of every post was most of
    the feed's cost, and the page's HTML is the same as last time."""
    key = digest("feed-item-1", _content_code(), content, url)
    remembered = cache.get(key)
    if remembered is not None:
        return remembered.decode("utf-8")
    from hooks.syndication.content import feed_html  # lxml: loaded on a miss only

    result = feed_html(content, url)
    cache.put(key, result.encode("utf-8"))
    return result


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
    cache: Cache = field(default_factory=lambda: Cache("feed", sealed=True))

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
            url = urljoin(site_url, post.url)
            item = entry(data, url, self.author_names)
            page = getattr(post, "page", None)
            if page is not None and page.content:  # rendered in every build
                item = dataclasses.replace(item, content=item_html(page.content, url, self.cache))
            entries.append(item)
        channel = Channel(
            title=config.site_name,
            link=site_url,
            description=config.site_description or config.site_name,
            self_url=urljoin(site_url, FEED_PATH),
            language=config.theme.get("language") or "en",
        )
        self.file.content_bytes = rss_document(channel, entries)

    def add_footer_link(self, config: MkDocsConfig) -> None:
        """The feed in the footer's links (Material's ``extra.social``), with the RSS icon.

        Material prints a social link's URL as given, so it is absolute (from ``site_url``):
        a relative one would break on every page below the root.
        """
        link = {"icon": "material/rss", "link": urljoin(config.site_url or "/", FEED_PATH)}
        link["name"] = "RSS feed"
        social = list(config.extra.get("social") or [])
        if not any(s.get("link") == link["link"] for s in social):
            social.append(link)
        config.extra["social"] = social

    def link_tag(self, page: Page) -> str:
        """``<link rel="alternate">`` for the page's head, so browsers and readers find it."""
        href = get_relative_url(FEED_PATH, page.url or ".")
        return f'<link rel="alternate" type="application/rss+xml" title="RSS feed" href="{href}">'
