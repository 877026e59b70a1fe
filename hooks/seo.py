"""OpenGraph and Twitter meta tags, built from each page's own metadata.

Material's social-cards plugin would draw preview images, but it downloads fonts at build time and
fails offline; link previews only need these tags, which come straight from the front matter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page


def _iso_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


def meta_tags(
    *,
    title: str,
    description: str,
    url: str | None,
    site_name: str,
    published: str | None = None,
    tags: list[str] | None = None,
) -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples; ``property`` for OpenGraph, ``name`` for Twitter."""
    kind = "article" if published else "website"
    tags_out: list[tuple[str, str, str]] = [
        ("property", "og:type", kind),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
    ]
    if url:
        tags_out.append(("property", "og:url", url))
    if published:
        tags_out.append(("property", "article:published_time", published))
    for tag in tags or []:
        tags_out.append(("property", "article:tag", tag))
    tags_out += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return tags_out


def render(tags: list[tuple[str, str, str]]) -> str:
    """The tags as HTML; every value escaped once (front matter arrives escaped as ``Markup``
    from ``hooks/pagemeta.py`` and is not escaped again)."""
    return "".join(
        f'<meta {attr}="{escape(name)}" content="{escape(content)}">'
        for attr, name, content in tags
    )


def add_meta_tags(output: str, page: Page, config: MkDocsConfig, extra_head: str = "") -> str:
    """Insert the tags (and ``extra_head``, in the same pass) before ``</head>`` of a page."""
    meta = page.meta or {}
    site_name = config.site_name
    title = meta.get("title") or page.title or site_name
    description = meta.get("description") or config.site_description or ""
    is_post = page.file.src_uri.startswith("blog/posts/")
    published = _iso_date(meta.get("date")) if is_post else None
    tags = list(meta.get("tags") or []) if is_post else []
    head = render(
        meta_tags(
            title=title,
            description=description,
            url=page.canonical_url,
            site_name=site_name,
            published=published,
            tags=tags,
        )
    )
    return output.replace("</head>", head + extra_head + "</head>", 1)
