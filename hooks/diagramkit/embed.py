"""The Markdown form for a diagram, and the one line it becomes.

On a line of its own (blank lines around it, like any picture)::

    ![Alt text describing the picture](diagram:kind_load_path "Optional caption")

becomes one ``<figure markdown="span">`` line (``md_in_html``) holding the light and the dark
variant as Markdown images, each wrapped in a link to itself (``attr_list`` adds the classes):

* Material shows the variant matching the palette through the ``#only-light`` / ``#only-dark``
  URL fragments;
* a click zooms the variant on screen, never both (``docs/assets/zoom.js``), at least as wide
  as ``data-legible-width``: the width at which its smallest label reads at 12 CSS px, so a
  phone shows it legibly and pans it (``legibility.py`` computes it);
* the images are Markdown, not raw HTML, so MkDocs resolves their paths to the generated files
  wherever the content is rendered: on the post, and in the blog's excerpts on index, archive
  and category pages (raw HTML would keep URLs relative to the post and break there).

The caption becomes a ``<figcaption>`` (inline Markdown allowed). Every replacement keeps the
line count (``hooks/pages.py`` rule). Mistakes (no alt text, an unknown diagram, the form inside a
sentence) are reported at the page's ``path:line`` and leave a visible placeholder, so
``mkdocs serve`` keeps running.
"""

from __future__ import annotations

import difflib
import html
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hooks.errors import SourceError

EMBED = re.compile(
    r"^(?P<indent>[ \t]*)!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(diagram:(?P<name>[^\s)\"]*)"
    r"(?:[ \t]+\"(?P<caption>[^\"]*)\")?[ \t]*\)[ \t]*$"
)
_MENTION = re.compile(r"\]\(diagram:")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
HOW_TO = "see CONTRIBUTING.md, section Diagrams"


@dataclass(frozen=True)
class Figure:
    """A rendered diagram as a page links it: paths relative to the page's Markdown file."""

    light_path: str
    dark_path: str
    width: int
    height: int
    #: CSS px wide at which its smallest label reads at 12 px: the zoom never shows it smaller
    legible_width: int = 0


#: name -> Figure, a SourceError (the script failed; already reported), or None (no such script)
Lookup = Callable[[str], Figure | SourceError | None]


def _attr(value: str) -> str:
    """A double-quoted ``attr_list`` value."""
    return '"' + html.escape(value, quote=True) + '"'


def figure_markdown(name: str, fig: Figure, alt: str, caption: str) -> str:
    """One line: ``<figure markdown="span">`` + two linked images + optional caption."""
    alt_text = re.sub(r"([\\\[\]])", r"\\\1", alt)  # backslash-escape \ [ ]

    def variant(scheme: str, path: str) -> str:
        url = urllib.parse.quote(path, safe="/._-~") + f"#only-{scheme}"
        size = f'width="{fig.width}" height="{fig.height}"'
        return (
            f'[![{alt_text}]({url}){{ {size} loading="lazy" decoding="async" }}]({url})'
            f"{{ .cl-zoom-link .cl-diagram-{scheme} "
            f'data-legible-width="{fig.legible_width or fig.width}" }}'
        )

    cap = f"<figcaption>{html.escape(caption, quote=False)}</figcaption>" if caption else ""
    return (
        f'<figure class="cl-diagram" data-diagram={_attr(name)} markdown="span">'
        f"{variant('light', fig.light_path)}{variant('dark', fig.dark_path)}{cap}</figure>"
    )


def placeholder_html(name: str, error: SourceError | str) -> str:
    """A box the author cannot miss, carrying the message (one line)."""
    return (
        f'<div class="admonition failure cl-diagram-error" data-diagram="{html.escape(name)}">'
        f'<p class="admonition-title">Diagram {html.escape(name)!s} is not shown</p>'
        f"<p><code>{html.escape(str(error))}</code></p></div>"
    )


def _unknown(name: str, known: Iterable[str], page: str, line: int) -> SourceError:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"add diagrams_src/{name}.py ({HOW_TO})"
    if not name:
        return SourceError(page, line, "diagram embed without a name", HOW_TO)
    return SourceError(page, line, f"unknown diagram {name!r}: no diagrams_src/{name}.py", hint)


def transform(
    markdown: str,
    *,
    page: str,
    offset: int,
    lookup: Lookup,
    known: Iterable[str],
    report: Callable[[SourceError], None],
) -> str:
    """Replace every embed line of ``markdown`` (same number of lines in and out).

    ``page`` is the page's project-relative path and ``offset`` the number of front-matter
    lines before ``markdown`` (``hooks.pages.read_offset``), for ``path:line`` messages.
    """
    lines = markdown.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening["fence"][0] == fence[0] and len(opening["fence"]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening["fence"]
            continue
        where = offset + i + 1
        m = EMBED.match(line)
        if m is None:
            if _MENTION.search(_CODE_SPAN.sub("", line)):
                err = SourceError(
                    page,
                    where,
                    "a diagram embed must stand on a line of its own",
                    'write ![Alt text](diagram:name "Caption") alone on its line',
                )
                report(err)
            continue
        name, alt, caption = m["name"], m["alt"].strip(), (m["caption"] or "").strip()
        found = lookup(name)
        error: SourceError | None = None
        if found is None:
            error = _unknown(name, known, page, where)
            report(error)
        elif not alt:
            error = SourceError(
                page,
                where,
                f"diagram {name!r} has no alt text",
                f"describe what it shows: ![What the picture shows](diagram:{name})",
            )
            report(error)
        elif isinstance(found, SourceError):
            error = found  # the script failed: reported once where it was rendered
        if error is not None or not isinstance(found, Figure):
            lines[i] = m["indent"] + placeholder_html(name, error or "not rendered")
        else:
            lines[i] = m["indent"] + figure_markdown(name, found, alt, caption)
    return "\n".join(lines)
