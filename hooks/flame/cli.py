"""``python -m hooks flame PATH --out OUT.svg [--folded OUT.folded]`` (a stable contract).

PATH is a directory (counted with cloc), a cloc ``--by-file --csv`` table, or folded stacks
(flamegraph.pl's input, ``dir;sub;file COUNT`` per line, e.g. the ``.folded`` files the site
offers for download). Bad input (not a cloc table, nothing to count, cloc missing) ends with one
clear message and exit code 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from hooks.errors import ToolMissingError
from hooks.flame import FlameError
from hooks.flame.count import count_directory, parse_cloc_csv
from hooks.flame.draw import draw_svg
from hooks.flame.fold import (
    Stacks,
    build_tree,
    folded_text,
    looks_folded,
    merge_counts,
    parse_folded,
)
from hooks.flame.sources import heading


@click.command("flame")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="SVG to write."
)
@click.option(
    "--folded",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write flamegraph.pl's folded stacks here.",
)
@click.option("--title", help="Name of the root frame (default: the directory or table name).")
@click.option(
    "--exclude-dir",
    "exclude_dirs",
    multiple=True,
    help="Directory name cloc skips (repeatable or comma-separated), e.g. vendor,third_party.",
)
@click.option(
    "--vcs",
    type=click.Choice(["auto", "git", "none"]),
    default="auto",
    show_default=True,
    help="git: count only tracked files (like cloc --vcs=git); none: every file; auto: git "
    "inside a work tree.",
)
@click.option(
    "--min-width",
    type=click.FloatRange(min=0),
    default=0.1,
    show_default=True,
    help="Frames narrower than this many pixels are not drawn (they still count); pixels of "
    "flamegraph.pl's 1,180 px drawing width, as its --minwidth.",
)
@click.option("--icicle", is_flag=True, help="Root at the top instead of the bottom.")
def flame(
    path: Path,
    out: Path,
    folded: Path | None,
    title: str | None,
    exclude_dirs: tuple[str, ...],
    vcs: str,
    min_width: float,
    icicle: bool,
) -> None:
    """Draw PATH (a directory, a cloc --by-file --csv table or folded stacks) as a flame graph."""
    excludes = [d.strip() for item in exclude_dirs for d in item.split(",") if d.strip()]
    try:
        if path.is_dir():
            stacks = merge_counts(
                count_directory(path, exclude_dirs=excludes, vcs=vcs, origin=str(path))
            )
            root_name = title or path.resolve().name or "root"
        elif path.is_file():
            if excludes or vcs != "auto":
                raise FlameError(
                    f"{path}: --exclude-dir and --vcs apply when counting a directory; "
                    "a cloc table is drawn as it is"
                )
            stacks = read_table(path)
            root_name = title or path.stem
        else:
            raise FlameError(f"{path}: no such file or directory")
        tree = build_tree(stacks, root_name)
        files = len(stacks)
        drawing = draw_svg(
            tree, title=heading(root_name, files, tree.lines), min_width=min_width, inverted=icicle
        )
    except (FlameError, ToolMissingError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        out.write_text(drawing.svg, encoding="utf-8")
        if folded is not None:
            folded.write_text(folded_text(stacks), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{exc.filename}: cannot write: {exc.strerror}") from None
    click.echo(
        f"{out}: {files:,} files, {tree.lines:,} lines of code, {drawing.frames:,} frames drawn "
        f"({drawing.hidden_frames:,} too narrow), {len(drawing.svg.encode()) / 1024:.0f} KiB",
        err=True,
    )


def read_table(path: Path) -> Stacks:
    """A cloc table, or folded stacks when the file has no cloc header and reads as them."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise FlameError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return merge_counts(parse_cloc_csv(text, origin=str(path)))
    except FlameError:
        if not looks_folded(text):
            raise
    return parse_folded(text, origin=str(path))
