"""Problems and results in the words GitHub speaks, when the build runs in GitHub Actions.

Why a module of its own: a contributor reads a pull request, not a CI log. GitHub turns
workflow-command lines (``::error file=...,line=...::...``) printed on standard output into
annotations on the diff, and renders the Markdown a step appends to ``$GITHUB_STEP_SUMMARY``
on the run's page. Nothing here runs unless ``GITHUB_ACTIONS=true``, so local builds print
exactly what they printed before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from hooks.errors import SourceError

Level = Literal["error", "warning", "notice"]

#: Characters GitHub's toolkit escapes in a command's message (``escapeData``).
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
#: ... and additionally in its properties (``escapeProperty``).
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, code in escapes:
        text = text.replace(char, code)
    return text


def annotation(err: SourceError, level: Level = "error", title: str = "") -> str:
    """One workflow-command line for ``err``: GitHub shows it on the diff at ``path:line``.

    The first line of the message is the annotation's title (what went wrong); the whole
    message, hint included, is its body, so a snippet's diff stays readable in the annotation.
    """
    message = err.message + (f"; {err.hint}" if err.hint else "")
    props = [f"file={_escape(err.path, _PROPERTY_ESCAPES)}"]
    if err.line > 0:
        props.append(f"line={err.line}")
    head = title or (message.splitlines()[0] if message else "problem")
    props.append(f"title={_escape(head[:200], _PROPERTY_ESCAPES)}")
    return f"::{level} {','.join(props)}::{_escape(message, _DATA_ESCAPES)}"


def annotate(err: SourceError, level: Level = "error", stream: TextIO | None = None) -> None:
    """Print the annotation for ``err`` when running in GitHub Actions; otherwise nothing."""
    if enabled():
        print(annotation(err, level), file=stream or sys.stdout, flush=True)


def announce(message: str, level: Level = "warning", stream: TextIO | None = None) -> None:
    """A problem with no source location (a tool missing, say), shown on the run's page."""
    if enabled():
        print(
            f"::{level}::{_escape(message, _DATA_ESCAPES)}", file=stream or sys.stdout, flush=True
        )


@dataclass
class PageTally:
    """What the build did for one page, for the job summary."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


#: Summary columns in order: (counter name, column heading).
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("blocks ran", "blocks ran"),
    ("blocks validated", "validated"),
    ("blocks recorded", "recorded"),
    ("blocks failed", "failed"),
    ("blocks skipped", "skipped"),
    ("diagrams rendered", "diagrams rendered"),
    ("diagrams cached", "diagrams cached"),
)


def summary_markdown(
    tallies: Mapping[str, PageTally], errors: Iterable[SourceError], seconds: float
) -> str:
    """The job summary: a table per page, then every problem with its ``path:line``."""
    errors = list(errors)
    verdict = "failed" if errors else "passed"
    lines = [f"## Site build {verdict} in {seconds:.1f} s", ""]
    rows = {path: t for path, t in sorted(tallies.items()) if t.counts}
    if rows:
        lines.append("| page | " + " | ".join(h for _, h in SUMMARY_COLUMNS) + " |")
        lines.append("| --- |" + " ---: |" * len(SUMMARY_COLUMNS))
        for path, tally in rows.items():
            cells = [str(tally.counts.get(key, 0)) for key, _ in SUMMARY_COLUMNS]
            lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
        lines.append("")
    if errors:
        lines.append(f"### {len(errors)} problem{'s' if len(errors) != 1 else ''}")
        lines.append("")
        for err in errors:
            first, _, rest = str(err).partition("\n")
            lines.append(f"- `{first}`")
            if rest:
                lines += ["", "```text", *rest.splitlines(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_summary(markdown: str, environ: Mapping[str, str] | None = None) -> bool:
    """Append ``markdown`` to ``$GITHUB_STEP_SUMMARY``; False when there is none to write."""
    env = environ if environ is not None else os.environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not enabled(env) or not target:
        return False
    with Path(target).open("a", encoding="utf-8") as fh:
        fh.write(markdown)
    return True
