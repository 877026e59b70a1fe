"""MkDocs adapter: ``![Alt text](flame:NAME "Optional caption")`` lines become embedded graphs.

How the graph is embedded, and why: ``<iframe src="...svg" loading="lazy">``.

* An SVG inside ``<img>`` runs no script, so hover, zoom and search would be dead.
* Inline SVG would run its script, but as part of the page: thousands of file names in the
  page's HTML and in the site's search index, its ids and styles mixed with the page's, and a
  script inside the page (a page Content-Security-Policy would need ``'unsafe-inline'``).
* A frame loads the generated SVG as its own same-origin document: its script and styles stay
  inside it, the page's HTML stays small and holds no script, and the browser caches the SVG.
  Being same-origin, the SVG can read the page's palette (``data-md-color-scheme``) and follow
  the light/dark toggle.
* ``<iframe>`` rather than ``<object>``: only a frame can be loaded lazily by the browser itself
  (``loading="lazy"``, no page script, survives Material's instant navigation). A graph weighs
  12-63 KB gzipped; the browser fetches it only as it nears the viewport, so a reader who never
  scrolls to it never pays for it (issue 15's first-load budget; ``benchmarks/bench_diagrams.py``
  counts a lazy frame out, and a browser test checks that a fresh load really fetches no graph).
  The frame's ``title`` is its accessible name (the alt text); where frames do not load, the
  caption's "open the SVG" link is the way to the picture.

What the page shows around the picture is HTML, not SVG: the title, the search box and "Reset
zoom" above it, the legend below, so they wrap at 390 px and are ordinary form controls. The
page runs no script for them: the SVG's own script (``flame.js``, same origin) finds its figure
through ``window.frameElement`` and drives them, and shows the controls only then (without the
script they would do nothing). Controls and legend are kept out of the site's search index
(Material's ``data-search-exclude``). Their styles are ``figure.css`` plus the swatch colours taken
from ``flame.css``, one generated stylesheet the figure links.

The generated SVG and folded stacks enter the build as MkDocs ``File.generated`` files under
``assets/flame/``; nothing is written into ``docs/``. Each replaced line stays one line, so
later line numbers stay true.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File, Files

from hooks.cache import Cache
from hooks.errors import SourceError, ToolMissingError
from hooks.flame import FlameError
from hooks.pages import outside_fences, read_offset, source_path

if TYPE_CHECKING:
    from hooks.flame.sources import Rendered

#: Where generated files live in the built site.
OUTPUT_DIR = "assets/flame"
#: The figure's stylesheet in the built site (``page_css``).
CSS_URI = f"{OUTPUT_DIR}/figure.css"
_HERE = Path(__file__).parent

EMBED = re.compile(
    r'^ {0,3}!\[(?P<alt>[^\]]*)\]\(flame:(?P<name>[^\s)"]*)(?:\s+"(?P<caption>[^"]*)")?\)\s*$'
)
_MENTION = re.compile(r"!\[[^\]]*\]\(\s*flame:")
_INLINE_CODE = re.compile(r"(`+).+?\1")

_EXAMPLE = '![What the graph shows](flame:kind "Optional caption")'


def _flame_cache() -> Cache:
    """The build's flame cache, every entry checked on read (``sources.flame_cache``)."""
    from hooks.flame.sources import flame_cache  # loaded when a page embeds a graph

    return flame_cache()


@dataclass
class FlamePages:
    """Replaces flame embeds in pages; renders each named graph once per build and caches it."""

    report: Any  # hooks.reporting.BuildReport
    cache: Cache = field(default_factory=_flame_cache)

    def page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        if "flame:" not in markdown:
            return markdown
        lines = markdown.split("\n")
        offset: int | None = None
        for index, (line, is_text) in enumerate(zip(lines, outside_fences(lines), strict=True)):
            if not is_text or not _MENTION.search(_INLINE_CODE.sub("", line)):
                continue
            if offset is None:
                offset = read_offset(page.file.abs_src_path)
            where = (source_path(page.file.abs_src_path, page.file.src_uri), offset + index + 1)
            lines[index] = self._replace(line, where, page, config, files)
        return "\n".join(lines)

    def _replace(
        self, line: str, where: tuple[str, int], page: Any, config: Any, files: Files
    ) -> str:
        m = EMBED.match(line)
        if m is None:
            return self._fail(
                where,
                "a flame graph must stand alone on its line",
                f"write it as {_EXAMPLE} on a line of its own",
            )
        alt, name, caption = m.group("alt").strip(), m.group("name"), m.group("caption")
        # the drawing code loads only for pages that embed a graph
        from hooks.flame.sources import SOURCES, render_source

        if name not in SOURCES:
            known = ", ".join(sorted(SOURCES))
            return self._fail(where, f"unknown flame graph {name!r}", f"use one of: {known}")
        if not alt:
            return self._fail(
                where,
                f"flame graph {name!r} has no alt text",
                f"describe what it shows, e.g. {_EXAMPLE}",
            )
        try:
            rendered = render_source(name, self.cache)
        except (FlameError, ToolMissingError) as exc:
            return self._fail(where, f"flame graph {name!r} could not be drawn: {exc}", "")
        svg, folded = self._publish(rendered, config, files)
        css = _publish_file(config, files, CSS_URI, page_css())
        table = SOURCES[name].table
        table_file = files.get_file_from_path(table) if table else None
        return figure_html(
            FigureParts(
                dom_id=f"flame-{re.sub(r'[^a-z0-9-]', '-', name)}-{where[1]}",
                title=rendered.title,
                legend=rendered.legend,
                alt=alt,
                caption=caption,
                height=rendered.height,
                svg_url=svg.url_relative_to(page.file),
                folded_url=folded.url_relative_to(page.file),
                table_url=table_file.url_relative_to(page.file) if table_file else None,
                css_url=css.url_relative_to(page.file),
            )
        )

    def _publish(self, rendered: Rendered, config: Any, files: Files) -> tuple[File, File]:
        """The generated SVG and folded files, added to this build's files once."""
        svg = _publish_file(config, files, f"{OUTPUT_DIR}/{rendered.name}.svg", rendered.svg)
        folded = _publish_file(
            config, files, f"{OUTPUT_DIR}/{rendered.name}.folded", rendered.folded
        )
        return svg, folded

    def _fail(self, where: tuple[str, int], message: str, hint: str) -> str:
        err = SourceError(where[0], where[1], message, hint)
        self.report.error(err)
        return placeholder_html(str(err))


def _publish_file(config: Any, files: Files, uri: str, content: str) -> File:
    """The generated file ``uri`` holding ``content``, added to this build's files once."""
    existing = files.get_file_from_path(uri)
    if existing is None or existing.content_string != content:
        if existing is not None:
            files.remove(existing)
        existing = File.generated(config, uri, content=content)
        files.append(existing)
    return existing


_BLOCK = re.compile(r"(?P<selector>:root(?:\[data-scheme=dark\])?)\{(?P<body>[^}]*)\}")
_SWATCH_VAR = re.compile(r"--(?P<name>d\d|l\d|lx):(?P<value>[^;}]+)")


def page_css() -> str:
    """The figure's stylesheet: the legend swatches in the SVG's own colours, then the layout.

    The colours are read from ``flame.css`` (one palette, never copied by hand): its light
    ``:root`` block applies to every figure, its dark block under Material's ``slate`` palette.
    """
    style = (_HERE / "flame.css").read_text(encoding="utf-8")
    rules: list[str] = []
    names: list[str] = []
    for block in _BLOCK.finditer(style):
        dark = block["selector"] != ":root"
        pairs = [(m["name"], m["value"].strip()) for m in _SWATCH_VAR.finditer(block["body"])]
        if not pairs or (dark and not names):
            continue
        selector = '[data-md-color-scheme="slate"] .flame-graph' if dark else ".flame-graph"
        rules.append(selector + "{" + ";".join(f"--flame-{n}:{v}" for n, v in pairs) + "}")
        names = names or [n for n, _ in pairs]
        if dark:
            break
    rules += [f".flame-graph__swatch--{n}{{background:var(--flame-{n})}}" for n in names]
    layout = (_HERE / "figure.css").read_text(encoding="utf-8")
    return "\n".join(rules) + "\n" + layout


@dataclass(frozen=True)
class FigureParts:
    """What one embedded graph's HTML is made of (URLs relative to the page)."""

    dom_id: str  # unique on its page: the search box's id
    title: str
    legend: tuple[tuple[str, str], ...]  # (colour class, what it stands for)
    alt: str
    caption: str | None
    height: int
    svg_url: str
    folded_url: str
    table_url: str | None
    css_url: str


#: How to use the graph without a mouse too (shown with the controls, once the script runs).
HELP = (
    "Point at, tap or focus a frame for its path and lines. Click, tap or press Enter to zoom; "
    "Tab to the graph, then the arrow keys move between frames; Escape zooms out."
)


def figure_html(parts: FigureParts) -> str:
    """One line of HTML: title, controls, the interactive graph, legend, caption, downloads."""
    e = html.escape
    a = e(parts.alt, quote=True)
    search_id = f"{parts.dom_id}-search"
    links = [
        f'<a href="{e(parts.svg_url)}">open the SVG</a>',
        f'<a href="{e(parts.folded_url)}" download>folded stacks</a> (for flamegraph.pl)',
    ]
    if parts.table_url:
        links.append(f'<a href="{e(parts.table_url)}" download>cloc table</a>')
    text = f"{e(parts.caption)} " if parts.caption else ""
    legend = "".join(
        f'<li><span class="flame-graph__swatch flame-graph__swatch--{e(cls)}" '
        f'aria-hidden="true"></span>{e(name)}</li>'
        for cls, name in parts.legend
    )
    return (
        f'<figure class="flame-graph" id="{e(parts.dom_id)}">'
        f'<link rel="stylesheet" href="{e(parts.css_url)}">'
        f'<p class="flame-graph__title">{e(parts.title)}</p>'
        '<div class="flame-graph__controls" hidden data-search-exclude>'
        f'<label class="flame-graph__label" for="{search_id}">Search frames</label>'
        f'<input class="flame-graph__search" id="{search_id}" type="search" '
        'placeholder="name or regular expression" autocomplete="off" spellcheck="false">'
        '<button class="flame-graph__reset" type="button" disabled>Reset zoom</button>'
        f'<p class="flame-graph__matched" role="status"></p>'
        f'<p class="flame-graph__help">{e(HELP)}</p></div>'
        f'<iframe class="flame-graph__svg" src="{e(parts.svg_url)}" height="{parts.height}" '
        f'title="{a}" loading="lazy"></iframe>'
        f'<ul class="flame-graph__legend" aria-label="Colours" data-search-exclude>{legend}</ul>'
        f"<figcaption>{text}"
        f'<span class="flame-graph__links">{" · ".join(links)}</span></figcaption></figure>'
    )


def placeholder_html(message: str) -> str:
    """One line of HTML shown where a graph could not be drawn (``mkdocs serve`` keeps going)."""
    return (
        '<div class="admonition failure flame-graph-error">'
        '<p class="admonition-title">Flame graph not drawn</p>'
        f"<p>{html.escape(message)}</p></div>"
    )
