"""``python -m hooks snippets PATH...``: run exactly what the build runs, from a terminal.

A stable contract (CI and editors script against it): per-failure reports, then the summary
line; exit status 1 when anything failed (option errors included), 0 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hooks import PROJECT_ROOT, ghactions
from hooks.errors import display_path
from hooks.snippetkit.discover import markdown_files, parse_file
from hooks.snippetkit.engine import Engine, RunOptions, default_jobs
from hooks.snippetkit.report import failure_error, format_failure, summarize
from hooks.snippetkit.update import apply_updates


@click.command("snippets")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--update",
    is_flag=True,
    help="Rewrite the expected output of failing console and pycon blocks in place.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Run every block afresh and write what the passing blocks printed into each post's "
    "transcript store (<post>.transcripts.yaml); current recordings are kept as they are.",
)
@click.option(
    "--take-in",
    "take_in_from",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Merge the cluster recordings of a downloaded e2e-transcripts artifact (folder or "
    "zip) into the stores of PATHS; nothing runs.",
)
@click.option("--no-cache", is_flag=True, help="Run every block again, ignoring cached passes.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Sessions run in parallel (default: number of cores).",
)
@click.option(
    "--network", is_flag=True, default=None, help='Let blocks with requires="network" run.'
)
def snippets(
    paths: tuple[str, ...],
    update: bool,
    record: bool,
    take_in_from: Path | None,
    no_cache: bool,
    jobs: int | None,
    network: bool | None,
) -> None:
    """Run or validate the tested code blocks of Markdown files or folders."""
    if take_in_from is not None:
        _take_in(take_in_from, paths)
        return
    from hooks import sandbox

    warning = sandbox.sandbox_status()
    if warning:
        click.echo(f"warning: {warning}", err=True)
    options = RunOptions(use_cache=not (no_cache or record), jobs=jobs or default_jobs())
    if network is not None:
        options.network = network
    errors = []
    blocks = []
    for file in markdown_files(paths):
        page = parse_file(file)
        errors.extend(page.errors)
        blocks.extend(page.blocks)
    for err in errors:
        click.echo(str(err))
        ghactions.annotate(err)
    engine = Engine(options)
    try:
        result = engine.run(blocks)
    finally:
        engine.close()
    pairs = result.ordered()
    for block, outcome in pairs:
        if outcome.failed:
            click.echo(format_failure(block, outcome))
            ghactions.annotate(failure_error(block, outcome))
    failed = len(errors) + result.count("failed")
    if update:
        rewritten = apply_updates(pairs, PROJECT_ROOT)
        for bid in rewritten:
            click.echo(f"updated {bid}")
        failed -= len(rewritten)
    if record:
        from hooks.snippetkit.record import record as write_recordings

        done = write_recordings(pairs, PROJECT_ROOT)
        for bid in done.recorded:
            click.echo(f"recorded {bid}")
        for path in done.written:
            click.echo(f"wrote {display_path(path)}")
    click.echo(summarize(result.outcomes.values(), extra_failures=len(errors)))
    sys.exit(1 if failed else 0)


def _take_in(artifact: Path, paths: tuple[str, ...]) -> None:
    from hooks.snippetkit.record import take_in

    done = take_in(artifact, markdown_files(paths))
    for message in done.refused:
        click.echo(f"refused: {message}")
    for bid in done.recorded:
        click.echo(f"took in {bid}")
    for path in done.written:
        click.echo(f"wrote {display_path(path)}")
    click.echo(
        f"transcripts: {len(done.recorded)} taken in, {len(done.refused)} refused, "
        f"{len(done.written)} store(s) written"
    )
    sys.exit(1 if done.refused else 0)
