"""Related posts: the few other posts that share the most tags with the one being read.

Older/newer links need no code (the blog plugin links its posts to each other by date as
MkDocs' ``previous_page``/``next_page``; ``hooks/theme/partials/post-nav.html`` prints them).
Related posts come from the tags in front matter through an index built once per build
(tag -> posts): a post's candidates are the posts sharing one of its tags, counted by shared
tags; deterministic (ties keep the blog's newest-first order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from hooks.homepage import blog_plugin

#: At most this many related posts under a post.
RELATED_POSTS = 3


def tag_set(page: Any) -> frozenset[str]:
    return frozenset(str(t).casefold() for t in (page.meta or {}).get("tags") or [])


@dataclass
class TagIndex:
    """The blog's posts by tag, built once per build (not once per post: 1,000 posts would
    mean a million tag sets), so a post's candidates are only the posts sharing a tag."""

    posts: Sequence[Any]
    tags: dict[int, frozenset[str]] = field(default_factory=dict)  # id(post) -> its tags
    by_tag: dict[str, list[int]] = field(default_factory=dict)  # tag -> indexes in ``posts``

    def __post_init__(self) -> None:
        for index, post in enumerate(self.posts):
            tags = tag_set(post)
            self.tags[id(post)] = tags
            for tag in tags:
                self.by_tag.setdefault(tag, []).append(index)

    def related(self, page: Any, limit: int = RELATED_POSTS) -> list[Any]:
        """Posts sharing at least one tag with ``page``, most shared tags first (then newest)."""
        shared: dict[int, int] = {}
        for tag in self.tags.get(id(page), tag_set(page)):
            for index in self.by_tag.get(tag, ()):
                shared[index] = shared.get(index, 0) + 1
        ranked = sorted(
            (i for i in shared if self.posts[i] is not page), key=lambda i: (-shared[i], i)
        )
        return [self.posts[i] for i in ranked[:limit]]


def related(page: Any, posts: Sequence[Any], limit: int = RELATED_POSTS) -> list[Any]:
    """Posts sharing at least one tag with ``page``, most shared tags first (then newest)."""
    return TagIndex(posts).related(page, limit)


class RelatedPosts:
    """``on_page_context``: a post's template gets ``related_posts`` (one index per build)."""

    def __init__(self) -> None:
        self._index: TagIndex | None = None

    def start(self) -> None:
        """A new build: the posts (and their tags) are read again."""
        self._index = None

    def add_related(self, context: dict[str, Any], page: Page, config: MkDocsConfig) -> dict:
        blog = blog_plugin(config)
        if blog is None:
            return context
        if self._index is None:
            self._index = TagIndex(blog.blog.posts)
        if id(page) in self._index.tags:
            context["related_posts"] = self._index.related(page)
        return context
