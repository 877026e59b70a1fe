"""``python -m hooks snippets PATH...``: run exactly what the build runs, from a terminal.

A stable contract (CI and editors script against it): per-failure reports, then the summary
line; exit status 1 when anything failed (option errors included), 0 otherwise.
"""

from __future__ import annotations

import sys

import click

from hooks import PROJECT_ROOT
from hooks.snippetkit.discover import markdown_files, parse_file
from hooks.snippetkit.engine import Engine, RunOptions, default_jobs
from hooks.snippetkit.report import format_failure, summarize
from hooks.snippetkit.update import apply_updates


@click.command("snippets")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--update",
    is_flag=True,
    help="Rewrite the expected output of failing console and pycon blocks in place.",
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
    paths: tuple[str, ...], update: bool, no_cache: bool, jobs: int | None, network: bool | None
) -> None:
    """Run or validate the tested code blocks of Markdown files or folders."""
    from hooks import sandbox

    warning = sandbox.sandbox_status()
    if warning:
        click.echo(f"warning: {warning}", err=True)
    options = RunOptions(use_cache=not no_cache, jobs=jobs or default_jobs())
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
    engine = Engine(options)
    try:
        result = engine.run(blocks)
    finally:
        engine.close()
    pairs = result.ordered()
    for block, outcome in pairs:
        if outcome.failed:
            click.echo(format_failure(block, outcome))
    failed = len(errors) + result.count("failed")
    if update:
        rewritten = apply_updates(pairs, PROJECT_ROOT)
        for bid in rewritten:
            click.echo(f"updated {bid}")
        failed -= len(rewritten)
    click.echo(summarize(result.outcomes.values(), extra_failures=len(errors)))
    sys.exit(1 if failed else 0)
