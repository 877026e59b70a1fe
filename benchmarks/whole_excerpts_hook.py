"""Benchmark-only MkDocs hook: puts back the whole posts that ``hooks/excerpts.py`` cut.

``bench_site.py`` builds the real site a third time with this hook after the site's own, so the
blog views convert whole posts again, as stock Material does: that build shows what the site's
hooks cost by themselves, apart from the excerpt speed-up (which it reports as well).
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

_WHOLE: dict[str, str] = {}


@event_priority(-100)  # after every other hook: the Markdown the page was rendered from
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    _WHOLE[page.file.src_uri] = page.markdown
    return html


@event_priority(-100)  # after hooks/site_hooks.py cut the posts
def on_env(env: Any, config: Any, files: Any) -> Any:
    blog = config.plugins.get("material/blog")
    for post in blog.blog.posts if blog is not None else ():
        post.markdown = _WHOLE.get(post.file.src_uri, post.markdown)
    return env
