"""Turn Markdown files on disk into parsed pages (front matter offset included)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hooks.errors import display_path
from hooks.pages import markdown_line_offset
from hooks.snippetkit.parse import ParsedPage, parse_page

_FRONT_MATTER_END = ("---", "...")


def markdown_files(paths: Iterable[str | Path]) -> list[Path]:
    """Markdown files named directly, or found under folders, sorted for a stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(x for x in p.rglob("*.md") if x.is_file()))
        else:
            found.append(p)
    seen: set[Path] = set()
    return [p for p in found if not (p.resolve() in seen or seen.add(p.resolve()))]


def split_source(source: str) -> tuple[int, str]:
    """(lines before the Markdown body, the body), exactly as MkDocs splits a page.

    ``hooks.pages.markdown_line_offset`` counts the front matter and the blank lines MkDocs
    drops after it.
    """
    offset = markdown_line_offset(source)
    if not offset:
        return 0, source
    return offset, "".join(source.splitlines(keepends=True)[offset:])


def parse_file(path: Path) -> ParsedPage:
    source = path.read_text(encoding="utf-8-sig")
    offset, body = split_source(source)
    return parse_page(body, display_path(path.resolve()), offset)
