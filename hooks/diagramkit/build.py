"""The MkDocs side of diagrams: render at ``on_files``, embed at ``on_page_markdown``, watch.

Rendered SVGs enter the build as generated ``File``s (``assets/diagrams/<name>-light.svg`` and
``-dark.svg``), so nothing is ever written into ``docs/``. One ``DiagramBuild`` lives per build
(``mkdocs serve`` makes a new one per rebuild), holding each diagram's outcome for the pages.

``CONTROL_LOOP_DIAGRAMS=off`` turns the capability off (embeds stay as they are): the baseline of
``benchmarks/bench_diagrams.py``.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from hooks.diagramkit import embed, render, verdicts
from hooks.diagramkit import sources as src
from hooks.errors import SourceError, ToolMissingError, display_path
from hooks.pages import read_offset, source_path
from hooks.reporting import BuildReport

#: Where the generated SVGs live in the site.
OUTPUT_DIR = "assets/diagrams"
SOURCES_DIR = "diagrams_src"
DISABLE_ENV = "CONTROL_LOOP_DIAGRAMS"


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "").strip().lower() not in {"off", "0", "false", "no"}


def output_uri(name: str, scheme: str) -> str:
    """``assets/diagrams/<name>-light.svg`` / ``-dark.svg`` (same names as the CLI writes)."""
    return f"{OUTPUT_DIR}/{name}-{scheme}.svg"


def sources_dir(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent / SOURCES_DIR


@dataclass
class DiagramBuild:
    """Outcomes of one build: name -> Rendered or the SourceError that was reported."""

    outcomes: dict[str, render.Outcome] = field(default_factory=dict)
    #: name -> CSS px at which the smallest label reads at 12 px (the zoom opens at least there)
    legible_widths: dict[str, int] = field(default_factory=dict)

    def lookup(self, name: str, files: Files, page_file: File) -> embed.Figure | SourceError | None:
        outcome = self.outcomes.get(name)
        if not isinstance(outcome, render.Rendered):
            return outcome
        if files.get_file_from_path(output_uri(name, "light")) is None:
            return None
        here = posixpath.dirname(page_file.src_uri)
        return embed.Figure(
            light_path=posixpath.relpath(output_uri(name, "light"), here or "."),
            dark_path=posixpath.relpath(output_uri(name, "dark"), here or "."),
            width=outcome.width_px,
            height=outcome.height_px,
            legible_width=self.legible_widths.get(name, outcome.width_px),
        )


_current = DiagramBuild()


def add_files(files: Files, config: Any, report: BuildReport) -> Files:
    """Render every ``diagrams_src`` script (cached, parallel) and add the SVGs to ``files``."""
    global _current
    _current = DiagramBuild()
    if not enabled():
        return files
    scripts = src.discover(sources_dir(config))
    if not scripts:
        return files
    try:
        _current.outcomes = render.render_all(scripts, cache=render.diagram_cache())
    except ToolMissingError as exc:
        # one message for the whole build, placed at the first script that needs the tool
        error = SourceError(scripts[0].path, 1, str(exc))
        report.error(error)
        _current.outcomes = {s.name: error for s in scripts}
        return files
    paths = {s.name: s.path for s in scripts}
    for name, outcome in _current.outcomes.items():
        if isinstance(outcome, render.Rendered):
            outcome = _checked(name, outcome, paths[name], report)
        if isinstance(outcome, SourceError):
            report.error(outcome)
            continue
        script = display_path(sources_dir(config) / f"{name}.py")
        report.tally(script, "diagrams cached" if outcome.cached else "diagrams rendered")
        for scheme, svg in (("light", outcome.light), ("dark", outcome.dark)):
            uri = output_uri(name, scheme)
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, uri, content=svg))
    return files


def _checked(
    name: str, rendered: render.Rendered, script: Path, report: BuildReport
) -> render.Outcome:
    """The rendered diagram if a reader can read it in the post column, else its first problem
    (the others are reported here; the caller reports the one it returns)."""
    result = verdicts.verdict(rendered)
    _current.legible_widths[name] = result.legible_width
    problems = verdicts.errors(script, result)
    if not problems:
        return rendered
    for problem in problems[1:]:
        report.error(problem)
    _current.outcomes[name] = problems[0]
    return problems[0]


def embed_page(markdown: str, page: Any, files: Files, report: BuildReport) -> str:
    """Replace the page's ``![alt](diagram:name "caption")`` lines by figures."""
    if not enabled() or "](diagram:" not in markdown:
        return markdown
    state = _current
    return embed.transform(
        markdown,
        page=source_path(page.file.abs_src_path, page.file.src_uri),
        offset=read_offset(page.file.abs_src_path),
        lookup=lambda name: state.lookup(name, files, page.file),
        known=state.outcomes,
        report=report.error,
    )


def watch(server: Any, config: Any) -> None:
    """``mkdocs serve``: editing a script or a helper in ``diagrams_src/`` rebuilds."""
    folder = sources_dir(config)
    if folder.is_dir():
        server.watch(str(folder))
