"""The one way to report bad input: a source location, what is wrong, and how to fix it.

Diagrams, snippets, front matter and flame graphs all fail the same way, so contributors read one
format everywhere: ``path:line: what is wrong; how to fix``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hooks import PROJECT_ROOT


def display_path(path: str | Path) -> str:
    """A path as contributors know it: relative to the project root, with forward slashes.

    Absolute paths of this machine never appear in messages or in anything built. Called for
    every page by several capabilities, so the common cases are string prefix tests.
    """
    text = os.fspath(path)
    if not os.path.isabs(text):
        return Path(text).as_posix()
    # the project itself, then a copy of the site being built (cwd), then the real root
    for root in (_ROOT_TEXT, os.getcwd(), _REAL_ROOT_TEXT):
        prefix = root.rstrip(os.sep) + os.sep
        if text.startswith(prefix):
            return Path(text[len(prefix) :]).as_posix()
    p = Path(text)
    try:  # a path through a symlink (diagrams_src/ linked into a copy)
        return p.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return p.as_posix()


_ROOT_TEXT = str(PROJECT_ROOT)
_REAL_ROOT_TEXT = str(PROJECT_ROOT.resolve())


@dataclass(frozen=True)
class SourceError(Exception):
    """Bad input at one place in a source file."""

    path: str
    line: int
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", display_path(self.path))

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class SourceErrors(Exception):
    """Several ``SourceError``s found in one pass, reported together."""

    def __init__(self, errors: Iterable[SourceError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path, e.line, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class ToolMissingError(Exception):
    """A system tool the build needs is not installed; the message carries the install command."""
