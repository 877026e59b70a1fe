"""Fold per-file counts into stacks: a directory tree, and flamegraph.pl's folded text.

A path ``pkg/cluster/config.go`` with 588 code lines becomes the stack
``pkg;cluster;config.go 588``: one frame per directory, the file last, the count after a space.
flamegraph.pl merges identical prefixes, so a directory's width is the sum of everything below
it. Files with no code lines add nothing and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hooks.flame import FlameError
from hooks.flame.count import MAX_CODE_LINES, MAX_DEPTH, FileCount

# flamegraph.pl splits frames on ';' and lines on newlines, and has no escape of its own:
# percent-encode those (and '%' itself, so the encoding stays reversible).
_ESCAPES = str.maketrans({"%": "%25", ";": "%3B", "\n": "%0A", "\r": "%0D"})


def escape_frame(name: str) -> str:
    """A path component safe inside a folded stack (``a;b`` -> ``a%3Bb``)."""
    return name.translate(_ESCAPES)


def split_path(path: str) -> list[str]:
    """Path components, ignoring empty and ``.`` parts (``./a//b`` -> ``['a', 'b']``)."""
    return [part for part in path.split("/") if part not in ("", ".")]


@dataclass
class Node:
    """A frame: a directory (with children) or a file (with a language)."""

    name: str
    lines: int = 0  # code lines of this frame and everything below it
    language: str = ""  # files only
    children: dict[str, Node] = field(default_factory=dict)

    @property
    def is_file(self) -> bool:
        return not self.children

    def sorted_children(self) -> list[Node]:
        """Children in flamegraph.pl's order (alphabetical: left-to-right order means nothing)."""
        return [self.children[name] for name in sorted(self.children)]

    def depth(self) -> int:
        """Number of frame rows this subtree needs (1 for a file)."""
        return 1 + max((child.depth() for child in self.children.values()), default=0)

    def count_frames(self) -> int:
        return 1 + sum(child.count_frames() for child in self.children.values())


def merge_counts(records: Iterable[FileCount]) -> dict[tuple[str, ...], tuple[int, str]]:
    """Stack (path components) -> (code lines, language), duplicates summed, empty files dropped."""
    stacks: dict[tuple[str, ...], tuple[int, str]] = {}
    for record in records:
        parts = tuple(split_path(record.path))
        if not parts or record.code <= 0:
            continue
        lines, language = stacks.get(parts, (0, record.language))
        stacks[parts] = (lines + record.code, language)
    return stacks


def _check_bounds(parts: tuple[str, ...], lines: int) -> None:
    """Whatever the records came from (a table, cloc, the cache): the drawing walks the tree
    recursively and in floating point, so depth and counts stay bounded (``count.check_row``
    says where in a table)."""
    if len(parts) > MAX_DEPTH:
        raise FlameError(f"a path {len(parts)} levels deep; at most {MAX_DEPTH} are drawn")
    if lines > MAX_CODE_LINES:
        raise FlameError(f"a file with {lines:,} code lines; at most {MAX_CODE_LINES:,}")


def build_tree(records: Iterable[FileCount], root_name: str) -> Node:
    """The directory tree of ``records`` under a root frame named ``root_name``.

    The root's ``lines`` is the sum of every file's code lines, never more: cloc's ``SUM`` row
    was dropped by the parser, so nothing is counted twice.
    """
    root = Node(root_name)
    for parts, (lines, language) in merge_counts(records).items():
        _check_bounds(parts, lines)
        root.lines += lines
        node = root
        for part in parts[:-1]:
            node = node.children.setdefault(part, Node(part))
            node.lines += lines
        leaf = node.children.setdefault(parts[-1], Node(parts[-1]))
        leaf.lines += lines
        leaf.language = leaf.language or language
    if root.lines == 0:
        raise FlameError("the table lists no file with code lines; there is nothing to draw")
    return root


def folded_lines(records: Iterable[FileCount]) -> list[str]:
    """flamegraph.pl's input: ``dir;sub;file count``, one line per file, sorted."""
    stacks = merge_counts(records)
    lines = [
        ";".join(escape_frame(p) for p in parts) + f" {count}"
        for parts, (count, _language) in stacks.items()
    ]
    return sorted(lines)


def folded_text(records: Iterable[FileCount]) -> str:
    """The folded stacks as one text, newline-terminated (``flamegraph.pl file.folded``)."""
    lines = folded_lines(records)
    return "".join(line + "\n" for line in lines)
