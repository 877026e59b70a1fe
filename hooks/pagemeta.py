"""Front matter is text, never HTML: titles, descriptions, tags and author names are escaped.

MkDocs renders themes without autoescaping, and Material's templates print ``page.meta.title``,
``page.meta.description``, tag names and ``.authors.yml`` entries as they are: a title holding
``<script>`` ran it on every page listing the post, and a description broke out of its
``<meta>`` tag into ``<head>``. All of these arrive in pull requests.

The values are replaced in place by ``markupsafe.Markup`` (escaped once, and marked as such): a
template printing them shows the text as written (a post titled ``<pre> versus <code>`` reads
like that), and code that escapes again (``| e``, ``hooks/seo.py``) leaves a ``Markup`` value
as it is, so nothing is escaped twice. Posts get their front matter when Material's blog plugin
reads them (``on_files``), other pages in ``read_source`` just before ``on_page_markdown``:
``escape_posts`` and ``escape_page`` cover both, and running either twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from mkdocs.structure.files import Files

#: Front-matter keys whose value is a line of text shown on pages.
TEXT_KEYS = ("title", "description", "subtitle")
#: Front-matter keys holding a list of texts shown on pages.
LIST_KEYS = ("tags",)
#: ``.authors.yml`` fields shown as text (``avatar`` and ``url`` are URLs in attributes).
AUTHOR_KEYS = ("name", "description")


def _text(value: Any) -> Any:
    """``value`` escaped once (``Markup``); anything but a plain string is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value


def escape_meta(meta: dict[str, Any]) -> None:
    """Escape the shown texts of one page's front matter in place."""
    for key in TEXT_KEYS:
        if key in meta:
            meta[key] = _text(meta[key])
    for key in LIST_KEYS:
        if isinstance(meta.get(key), list):
            meta[key] = [_text(item) for item in meta[key]]


def escape_page(page: Any) -> None:
    """``on_page_markdown``: the page's front matter was just read."""
    escape_meta(page.meta)


def escape_posts(files: Files, config: Any) -> None:
    """``on_nav``: blog posts (front matter read in ``on_files``) and the blog's authors."""
    for file in files.documentation_pages():
        if file.page is not None and file.page.meta:
            escape_meta(file.page.meta)
    blog = config.plugins.get("material/blog")
    for author in getattr(blog, "authors", {}).values():
        for key in AUTHOR_KEYS:
            value = author.get(key) if hasattr(author, "get") else None
            if value is not None:
                author[key] = _text(value)
