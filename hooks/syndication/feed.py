"""An RSS 2.0 document from plain data: one channel, one item per post, newest first.

Each item carries its description (a sentence) and, in ``content:encoded`` (the RSS content
module), the whole post as HTML, so a feed reader shows the post rather than a teaser.

The XML is written by the standard library's ElementTree, which escapes text and attributes, so
nothing here builds markup by hand. The output is deterministic: no build timestamp (the channel
dates are the newest post's), and items in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("dc", DC)
ET.register_namespace("content", CONTENT)


@dataclass(frozen=True)
class Channel:
    """What the feed says about the site itself."""

    title: str
    link: str  # the site's home page
    description: str
    self_url: str  # where the feed itself is published (atom:link rel="self")
    language: str = "en"


@dataclass(frozen=True)
class FeedEntry:
    """One post as a feed reader shows it."""

    title: str
    url: str  # absolute; also the item's permanent guid
    published: dt.datetime  # timezone-aware
    description: str
    categories: tuple[str, ...] = ()  # Material categories first, then tags
    authors: tuple[str, ...] = ()  # display names
    content: str = ""  # the full post as standalone HTML (``content:encoded``), if known


def rfc822(moment: dt.datetime) -> str:
    """The date format RSS 2.0 requires (RFC 822, four-digit year)."""
    return email.utils.format_datetime(moment.astimezone(dt.UTC))


def newest_first(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    return sorted(entries, key=lambda e: (e.published, e.url), reverse=True)


def rss_document(channel: Channel, entries: Iterable[FeedEntry]) -> bytes:
    """The feed as UTF-8 XML bytes."""
    items = newest_first(entries)
    rss = ET.Element("rss", {"version": "2.0"})
    chan = ET.SubElement(rss, "channel")
    _text(chan, "title", channel.title)
    _text(chan, "link", channel.link)
    _text(chan, "description", channel.description)
    ET.SubElement(
        chan,
        f"{{{ATOM}}}link",
        {"href": channel.self_url, "rel": "self", "type": "application/rss+xml"},
    )
    _text(chan, "language", channel.language)
    if items:
        newest = rfc822(items[0].published)
        _text(chan, "pubDate", newest)
        _text(chan, "lastBuildDate", newest)
    for entry in items:
        item = ET.SubElement(chan, "item")
        _text(item, "title", entry.title)
        _text(item, "link", entry.url)
        _text(item, "description", entry.description)
        if entry.content:
            _text(item, f"{{{CONTENT}}}encoded", entry.content)
        for author in entry.authors:
            _text(item, f"{{{DC}}}creator", author)
        for category in entry.categories:
            _text(item, "category", category)
        _text(item, "pubDate", rfc822(entry.published))
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = entry.url
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text
