"""The home page opens with the newest posts, rendered exactly as the blog's own index shows them.

Material's blog plugin renders excerpts only on its views (blog index, archive, categories); the
home page is an ordinary page. Rather than redraw excerpts by hand, ``newest_posts`` asks each
post's ``Excerpt`` (the object the plugin itself renders on its views, with links resolved
relative to the page showing it) to render on the home page, and the theme override
``hooks/theme/home.html`` lays them out with the same ``partials/post.html`` as the blog index:
title, date, categories, read time (computed by the plugin from the post's HTML), excerpt and
"Read more". Post URLs are the plugin's, so links and feed guids stay where they were.

Runs in ``on_page_context``: by then MkDocs has rendered every page's Markdown, so each post
carries its read time, and each post's Markdown holds only what its excerpt converts
(``hooks/excerpts.py``), as it does for the blog's own views.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from hooks.excerpts import cut_markdown

#: How many posts the home page shows before "All posts".
HOME_POSTS = 5


def blog_plugin(config: MkDocsConfig) -> Any | None:
    """Material's blog plugin instance of this build, if enabled."""
    blog = config.plugins.get("material/blog")
    if blog is None or not getattr(blog.config, "enabled", False):
        return None
    return blog


def newest_posts(page: Page, config: MkDocsConfig, count: int = HOME_POSTS) -> list[Any]:
    """The ``count`` newest published posts' excerpts, rendered for ``page`` (newest first)."""
    blog = blog_plugin(config)
    if blog is None:
        return []
    separator = blog.config.post_excerpt_separator
    posts = [p for p in blog.blog.posts if p.excerpt is not None]  # sorted newest first
    excerpts = []
    for post in posts[:count]:
        render_excerpt(post, page, separator)
        excerpts.append(post.excerpt)
    return excerpts


def render_excerpt(post: Any, page: Page, separator: str) -> None:
    """Render ``post``'s excerpt for ``page`` from what the excerpt shows (``cut_markdown``).

    By now every post's Markdown is already cut (``hooks/excerpts.py``, on_env) and cutting
    again changes nothing; the home page cuts for itself anyway, so it never depends on that
    order of events (and the benchmark that puts whole posts back for the blog's own views
    still measures the home page as it is).
    """
    whole = post.markdown
    post.markdown = cut_markdown(whole, separator)
    try:
        post.excerpt.render(page, separator)
    finally:
        post.markdown = whole


def add_posts(context: dict[str, Any], page: Page, config: MkDocsConfig) -> dict[str, Any]:
    """``on_page_context``: the home page's template gets ``posts`` and the blog's URL."""
    if page.is_homepage:
        context["posts"] = newest_posts(page, config)
        blog = blog_plugin(config)
        context["blog_index"] = blog.blog if blog is not None else None
    return context
