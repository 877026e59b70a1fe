"""Related posts: the few other posts that share the most tags with the one being read.

Older/newer links need no code (the blog plugin links its posts to each other by date as
MkDocs' ``previous_page``/``next_page``; ``hooks/theme/partials/post-nav.html`` prints them).
Related posts are counted once per post page from the tags in front matter: cheap (a set
intersection per pair) and deterministic (ties keep the blog's newest-first order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from hooks.homepage import blog_plugin

#: At most this many related posts under a post.
RELATED_POSTS = 3


def tag_set(page: Any) -> set[str]:
    return {str(t).casefold() for t in (page.meta or {}).get("tags") or []}


def related(page: Any, posts: Sequence[Any], limit: int = RELATED_POSTS) -> list[Any]:
    """Posts sharing at least one tag with ``page``, most shared tags first (then newest)."""
    mine = tag_set(page)
    scored = [(len(mine & tag_set(other)), other) for other in posts if other is not page]
    ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])  # stable: newest first
    return [other for _, other in ranked[:limit]]


def add_related(context: dict[str, Any], page: Page, config: MkDocsConfig) -> dict[str, Any]:
    """``on_page_context``: a post's template gets ``related_posts``."""
    blog = blog_plugin(config)
    if blog is not None and page in blog.blog.posts:
        context["related_posts"] = related(page, blog.blog.posts)
    return context
