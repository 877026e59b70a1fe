"""The site's RSS feed: every published post, written from the front matter already checked.

``feed`` is plain data and XML (no MkDocs); ``build`` adapts it to MkDocs events.
"""

from __future__ import annotations

from hooks.syndication.feed import Channel, FeedEntry, rss_document

__all__ = ["Channel", "FeedEntry", "rss_document"]
