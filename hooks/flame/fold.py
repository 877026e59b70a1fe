"""Fold per-file counts into stacks: a directory tree, and flamegraph.pl's folded text.

A path ``pkg/cluster/config.go`` with 588 code lines becomes the stack
``pkg;cluster;config.go 588``: one frame per directory, the file last, the count after a space.
flamegraph.pl merges identical prefixes, so a directory's width is the sum of everything below
it. Files with no code lines add nothing and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hooks.flame import FlameError
from hooks.flame.count import MAX_CODE_LINES, MAX_DEPTH, FileCount, check_row

# flamegraph.pl splits frames on ';' and lines on newlines, and has no escape of its own:
# percent-encode those (and '%' itself, so the encoding stays reversible).
_ESCAPES = str.maketrans({"%": "%25", ";": "%3B", "\n": "%0A", "\r": "%0D"})
_UNESCAPE = re.compile(r"%(25|3B|0A|0D)", re.IGNORECASE)
#: flamegraph.pl's pattern for one input line: a stack, whitespace, a count (integers here).
_FOLDED_LINE = re.compile(r"^(?P<stack>.*?)\s+(?P<count>\d+)$")
#: A stack -> (code lines, language) map: what both input formats fold into.
Stacks = dict[tuple[str, ...], tuple[int, str]]


def escape_frame(name: str) -> str:
    """A path component safe inside a folded stack (``a;b`` -> ``a%3Bb``)."""
    return name.translate(_ESCAPES)


def unescape_frame(frame: str) -> str:
    """The inverse of ``escape_frame`` (``a%3Bb`` -> ``a;b``); other ``%`` text is left alone."""
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), frame)


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
    _order_key: str | None = field(default=None, repr=False, compare=False)

    @property
    def is_file(self) -> bool:
        return not self.children

    def order_key(self) -> str:
        """The first folded line of this subtree, from this frame on (``name;...`` or ``name N``).

        flamegraph.pl sorts whole folded lines, not frame names, then merges equal prefixes; a
        subtree's lines are contiguous in that order, so siblings stand in the order of their
        first lines. That differs from sorting names where one name extends another:
        ``openapi3;x`` sorts before ``openapi;y`` because ``3`` precedes ``;``. Computed once.
        """
        if self._order_key is None:
            name = escape_frame(self.name)
            if self.is_file:
                self._order_key = f"{name} {self.lines}"
            else:
                self._order_key = name + ";" + min(c.order_key() for c in self.children.values())
        return self._order_key

    def sorted_children(self) -> list[Node]:
        """Children in flamegraph.pl's left-to-right order (which means nothing but names)."""
        return sorted(self.children.values(), key=Node.order_key)

    def depth(self) -> int:
        """Number of frame rows this subtree needs (1 for a file)."""
        return 1 + max((child.depth() for child in self.children.values()), default=0)

    def count_frames(self) -> int:
        return 1 + sum(child.count_frames() for child in self.children.values())


def merge_counts(records: Iterable[FileCount]) -> Stacks:
    """Stack (path components) -> (code lines, language), duplicates summed, empty files dropped."""
    stacks: Stacks = {}
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


def _folded_count(text: str, where: str) -> int:
    """A folded line's count, bounded before ``int()`` (which refuses 4,300+ digits itself)."""
    if len(text) > len(str(MAX_CODE_LINES)):
        raise FlameError(f"{where}: {len(text)}-digit count; at most {MAX_CODE_LINES:,} lines")
    return int(text)


def parse_folded(text: str, *, origin: str = "folded stacks") -> Stacks:
    """Read flamegraph.pl's input (``frame;frame;file COUNT`` per line) back into stacks.

    Frames are split on ``;`` only (a frame may hold ``/``) and percent-escapes of this module
    are undone; equal stacks are summed, as flamegraph.pl merges them. Unlike flamegraph.pl,
    which skips a malformed line with a warning, a bad line is an error naming it: a silently
    skipped line would draw a wrong total.
    """
    stacks: Stacks = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _FOLDED_LINE.match(line.rstrip())
        frames = tuple(f for f in m.group("stack").split(";") if f) if m else ()
        if m is None or not frames:
            raise FlameError(
                f"{origin}:{number}: not a folded stack: expected 'frame;frame;file COUNT' "
                "(a whole number of lines after the last space)"
            )
        parts = tuple(unescape_frame(f) for f in frames)
        count = _folded_count(m.group("count"), f"{origin}:{number}")
        check_row(f"{origin}:{number}", "/".join(parts), "", count)
        lines, language = stacks.get(parts, (0, ""))
        stacks[parts] = (lines + count, language)
    return {parts: value for parts, value in stacks.items() if value[0] > 0}


def looks_folded(text: str) -> bool:
    """Whether the first non-blank line reads as a folded stack (and not as a CSV row)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(_FOLDED_LINE.match(first.rstrip()))


def build_tree(records: Iterable[FileCount] | Stacks, root_name: str) -> Node:
    """The directory tree of ``records`` (or of folded ``Stacks``) under a ``root_name`` frame.

    The root's ``lines`` is the sum of every file's code lines, never more: cloc's ``SUM`` row
    was dropped by the parser, so nothing is counted twice.
    """
    stacks = records if isinstance(records, dict) else merge_counts(records)
    root = Node(root_name)
    for parts, (lines, language) in stacks.items():
        _check_bounds(parts, lines)
        root.lines += lines
        node = root
        for part in parts[:-1]:
            child = node.children.get(part)
            if child is None:  # one Node per frame (setdefault would build one per file)
                child = node.children[part] = Node(part)
            node = child
            node.lines += lines
        leaf = node.children.get(parts[-1]) or node.children.setdefault(parts[-1], Node(parts[-1]))
        leaf.lines += lines
        leaf.language = leaf.language or language
    if root.lines == 0:
        raise FlameError("the table lists no file with code lines; there is nothing to draw")
    return root


def folded_lines(
    records: Iterable[FileCount] | Stacks,
) -> list[str]:
    """flamegraph.pl's input: ``dir;sub;file count``, one line per file, sorted."""
    stacks = records if isinstance(records, dict) else merge_counts(records)
    lines = [
        ";".join(escape_frame(p) for p in parts) + f" {count}"
        for parts, (count, _language) in stacks.items()
    ]
    return sorted(lines)


def folded_text(records: Iterable[FileCount] | Stacks) -> str:
    """The folded stacks as one text, newline-terminated (``flamegraph.pl file.folded``)."""
    lines = folded_lines(records)
    return "".join(line + "\n" for line in lines)
