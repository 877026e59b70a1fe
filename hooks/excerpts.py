"""Excerpts converted from the Markdown they show, not from the whole post, on every view.

Material's blog plugin shows a post's excerpt on each view that lists it (the blog index, the
archive, every category of the post; the home page here) and renders it there by converting the
post's *whole* Markdown, then cutting the HTML at the excerpt separator. On this site that is
14 conversions of 1,000-line posts with highlighted code for a few paragraphs each: 2.1 s of a
4.4 s build, more than every hook of ours together.

By ``on_env`` MkDocs has rendered every page, and nothing reads a post's Markdown again except
those excerpt conversions. So ``cut_posts`` replaces each post's Markdown with what its excerpt
can show, which converts to the same excerpt HTML, byte for byte:

* the Markdown before the separator, and the separator;
* every paragraph after it that holds a link reference, footnote or abbreviation definition
  (outside fenced code): the excerpt may use any of them, and Python-Markdown numbers footnotes
  in the order they are defined, so all are kept, in order;
* an HTML comment standing for the rest, so the view still knows there is more to read and
  links "Read more".

Whatever follows the separator in the HTML is cut away by the plugin, so the kept paragraphs
cost their conversion and show nowhere. ``tests/site/test_excerpts.py`` converts each real
post and hostile ones both ways and compares the excerpts.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from hooks.pages import outside_fences

#: Python-Markdown's own definition syntaxes (``ReferenceProcessor``, ``FootnoteBlockProcessor``,
#: ``AbbrBlockprocessor``), by the first line: a link reference, a footnote, an abbreviation.
_DEFINITION = re.compile(r"^ {0,3}(?:\[[^\[\]]*\]:|\[\^[^\]]*\]:|\*\[[^\\]*?\] ?:)")
#: What stands for the rest of the post: the plugin's "more" is the HTML after the separator.
REST = "<!-- the rest of this post is on its own page -->"


def definitions(markdown: str) -> str:
    """The paragraphs of ``markdown`` that define a link reference, footnote or abbreviation
    (outside fenced code), in order, each followed by a blank line."""
    lines = markdown.split("\n")
    return _definitions(lines, outside_fences(lines))


def _definitions(lines: list[str], is_text: list[bool]) -> str:
    kept: list[str] = []
    paragraph: list[str] = []
    defines = False
    for line, text in zip(lines, is_text, strict=True):
        if not text or not line.strip():
            if defines:
                kept += [*paragraph, ""]
            paragraph, defines = [], False
            continue
        paragraph.append(line)
        defines = defines or _DEFINITION.match(line) is not None
    if defines:
        kept += [*paragraph, ""]
    return "\n".join(kept)


def cut_markdown(markdown: str, separator: str) -> str:
    """What the excerpt needs of a post's Markdown.

    Unchanged when there is nothing after the separator, or when its first appearance is not a
    line of its own outside fenced code (shown in a code block, say): the plugin cuts the HTML
    at the first separator *comment*, and only the whole conversion says where that is.
    """
    head, found, tail = markdown.partition(separator)
    if not found or not tail.strip():
        return markdown
    lines = markdown.split("\n")
    is_text = outside_fences(lines)
    at = head.count("\n")  # the separator's line: nothing else on it but blanks
    if lines[at].strip() != separator or not is_text[at]:
        return markdown
    rest = _definitions(lines[at + 1 :], is_text[at + 1 :])
    return f"{head}{separator}\n\n{REST}\n\n{rest}"


def cut_posts(config: MkDocsConfig) -> None:
    """``on_env``: every post of the blog keeps only what its excerpt converts (see above)."""
    blog: Any = config.plugins.get("material/blog")
    if blog is None or not getattr(blog.config, "enabled", False):
        return
    separator = blog.config.post_excerpt_separator
    for post in blog.blog.posts:
        if post.excerpt is not None and post.markdown:
            post.markdown = cut_markdown(post.markdown, separator)
