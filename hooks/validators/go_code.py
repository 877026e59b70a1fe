"""``go`` blocks: the code must parse as Go (tree-sitter's Go grammar; no toolchain needed).

Why a parser and not the compiler: the build has no Go toolchain and no module proxy, so a Go
block cannot be compiled or run here. Parsing still catches what a reader would trip over when
pasting it (an unbalanced brace, a missing comma in a composite literal, a stray token), and
reports it at the line where the grammar gave up. Types and imports are not checked: say so in
the post when that matters.
"""

from __future__ import annotations

import functools
from typing import Any

from hooks.validators.base import Problem, ValidationContext, clamp_line

LANGUAGES = frozenset({"go"})


@functools.cache
def _parser() -> Any:
    import tree_sitter_go
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_go.language()))


def _first_error(node: Any) -> Any | None:
    """The first node (in source order) the grammar could not place, or that it had to invent."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        if current.has_error:
            stack.extend(reversed(current.children))
    return None


def check(text: str, context: ValidationContext, *, language: str = "go") -> list[Problem]:
    tree = _parser().parse(text.encode("utf-8"))
    if not tree.root_node.has_error:
        return []
    bad = _first_error(tree.root_node)
    if bad is None:  # has_error without a node to show: report the block
        return [Problem(1, "Go syntax error")]
    line = clamp_line(bad.start_point[0] + 1, text)
    if bad.is_missing:
        return [Problem(line, f"Go syntax error: missing {bad.type!r}")]
    snippet = text.encode("utf-8")[bad.start_byte : bad.end_byte].decode("utf-8", "replace")
    near = snippet.strip().splitlines()[0][:40] if snippet.strip() else bad.type
    return [Problem(line, f"Go syntax error near {near!r}")]
