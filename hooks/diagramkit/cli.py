"""``python -m hooks diagrams render|check SRC.py ...`` (a stable contract).

``render SRC.py [SRC.py ...] --out DIR`` writes ``DIR/<name>-light.svg`` and
``DIR/<name>-dark.svg`` for each script (``<name>`` is the file name without ``.py``), exactly
the files the site build serves. Exits 1 after printing one ``SRC.py:LINE: message`` line per
problem on stderr (a script that fails, or a picture the build would refuse as illegible: its
files are still written, to look at), 2 when Graphviz is missing. Helpers (``_style.py``) are
looked up beside each script.

``check [SRC.py ...]`` (default: every ``diagrams_src/*.py``) renders (cached) and prints each
diagram's smallest text as shown in the post column, then the same problems as the build; exit 1
when any diagram would fail ``mkdocs build --strict``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from hooks.cache import Cache
from hooks.diagramkit import render, verdicts
from hooks.diagramkit import sources as src
from hooks.errors import SourceError, ToolMissingError

SOURCES_DIR = "diagrams_src"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(path: Path, text: str) -> None:
    """Atomically (a reader never sees half an SVG), with the mode a plain ``open`` would give
    (``mkstemp`` creates 0600 files whatever the umask)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group("diagrams")
def diagrams() -> None:
    """Diagrams drawn from Python scripts (diagrams_src/<name>.py)."""


@diagrams.command("render")
@click.argument("scripts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for <name>-light.svg and <name>-dark.svg (created if missing).",
)
@click.option(
    "--timeout",
    default=render.DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one script may run.",
)
@click.option("--jobs", type=int, default=None, help="Parallel renders (default: one per core).")
@click.option("--no-cache", is_flag=True, help="Render even when a cached result exists.")
def render_command(
    scripts: tuple[Path, ...], out: Path, timeout: float, jobs: int | None, no_cache: bool
) -> None:
    """Render SRC.py scripts into light and dark SVGs in --out."""
    outcomes, todo, errors = _render(scripts, timeout, jobs, no_cache)
    out.mkdir(parents=True, exist_ok=True)
    for name, outcome in outcomes.items():
        given = todo[name][0]
        if isinstance(outcome, SourceError):
            errors.append(SourceError(given, outcome.line, outcome.message, outcome.hint))
            continue
        for scheme, svg in (("light", outcome.light), ("dark", outcome.dark)):
            _write(out / f"{name}-{scheme}.svg", svg)
        how = "cached" if outcome.cached else f"{outcome.seconds:.2f} s"
        click.echo(f"{given}: {name}-light.svg, {name}-dark.svg ({how})")
        errors += _as_given(given, verdicts.errors(todo[name][1].path, verdicts.verdict(outcome)))
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        sys.exit(1)


@diagrams.command("check")
@click.argument("scripts", nargs=-1, type=click.Path(path_type=Path))
@click.option("--timeout", default=render.DEFAULT_TIMEOUT, show_default=True)
@click.option("--jobs", type=int, default=None, help="Parallel renders (default: one per core).")
def check_command(scripts: tuple[Path, ...], timeout: float, jobs: int | None) -> None:
    """Would the build accept these diagrams? Smallest text on screen, contrast, overlaps.

    Without SRC.py arguments, every diagram in diagrams_src/.
    """
    if not scripts:
        folder = Path(SOURCES_DIR)
        scripts = tuple(folder / f"{s.name}.py" for s in src.discover(folder))
    outcomes, todo, errors = _render(scripts, timeout, jobs, False)
    for name, outcome in outcomes.items():
        given = todo[name][0]
        if isinstance(outcome, SourceError):
            errors.append(SourceError(given, outcome.line, outcome.message, outcome.hint))
            click.echo(f"{given}: FAILED to render")
            continue
        result = verdicts.verdict(outcome)
        problems = _as_given(given, verdicts.errors(todo[name][1].path, result))
        state = "ok" if not problems else f"{len(problems)} problem(s)"
        click.echo(
            f"{given}: smallest text {result.smallest_px:.1f} CSS px ({result.smallest!r}); {state}"
        )
        errors += problems
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        sys.exit(1)


def _as_given(given: Path, found: list[SourceError]) -> list[SourceError]:
    """The same errors, naming the script as the author typed it."""
    return [SourceError(given, e.line, e.message, e.hint) for e in found]


def _render(
    scripts: tuple[Path, ...], timeout: float, jobs: int | None, no_cache: bool
) -> tuple[dict[str, render.Outcome], dict[str, tuple[Path, src.Script]], list[SourceError]]:
    """Outcomes by name, each name's script as given and as resolved, and argument errors."""
    errors: list[SourceError] = []
    todo: dict[str, tuple[Path, src.Script]] = {}
    for given in scripts:
        if not given.is_file():
            errors.append(SourceError(given, 1, "no such diagram script"))
            continue
        script = src.Script(given.stem, given.resolve(), given.resolve().parent)
        if script.name in todo:
            first = todo[script.name][0]
            errors.append(SourceError(given, 1, f"same output name as {first} ({script.name})"))
            continue
        todo[script.name] = (given, script)
    try:
        outcomes = render.render_all(
            [s for _, s in todo.values()],
            cache=Cache("diagrams", enabled=False if no_cache else None),
            timeout=timeout,
            jobs=jobs,
        )
    except ToolMissingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    return outcomes, todo, errors
