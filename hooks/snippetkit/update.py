"""``--update``: write the actual output of failing console/pycon blocks back into the page.

Like ``cram -i``: only the body of a block whose output differed changes (commands, options,
everything else in the file stays byte for byte), and a block is rewritten only when the run
produced a complete replacement (``Outcome.new_text``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hooks.snippetkit.discover import split_source
from hooks.snippetkit.model import Block, Outcome

UPDATABLE = ("console", "pycon")


def updated_source(source: str, changes: Iterable[tuple[Block, str]]) -> str:
    """``source`` with each block's body replaced by its new text (indentation kept)."""
    offset, _ = split_source(source)
    lines = source.splitlines(keepends=True)
    # bottom-up, so earlier replacements do not shift later ones
    for block, new_text in sorted(changes, key=lambda c: c[0].start, reverse=True):
        first, last = offset + block.start + 1, offset + block.end
        eol = "\r\n" if lines[first - 1].endswith("\r\n") else "\n"
        body = [(block.indent + x if x else x) + eol for x in new_text.splitlines()]
        lines[first:last] = body
    return "".join(lines)


def apply_updates(pairs: Iterable[tuple[Block, Outcome]], root: Path | None = None) -> list[str]:
    """Rewrite every file holding an updatable failure; returns the block ids rewritten."""
    by_file: dict[str, list[tuple[Block, str]]] = {}
    for block, outcome in pairs:
        if block.kind in UPDATABLE and outcome.failed and outcome.new_text is not None:
            by_file.setdefault(block.path, []).append((block, outcome.new_text))
    done: list[str] = []
    for path, changes in by_file.items():
        file = (root or Path.cwd()) / path if not Path(path).is_absolute() else Path(path)
        source = file.read_text(encoding="utf-8")
        new = updated_source(source, changes)
        if new != source:
            file.write_text(new, encoding="utf-8")
            done.extend(b.id for b, _ in changes)
    return done
