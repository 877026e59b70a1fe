"""Regular expressions as the API server reads them: Go's ``regexp`` (RE2 syntax).

A CRD's ``pattern`` is compiled by the API server with Go's ``regexp.Compile``
(``apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go``), whose syntax is
RE2's: ``\\p{L}``, ``\\z`` and ``[[:alpha:]]`` work, lookarounds and backreferences do not.
Python's ``re`` disagrees both ways (it rejects ``\\p{L}`` and accepts ``(?=x)``), so patterns are
compiled with RE2 itself (``google-re2``), which also matches in linear time: a pattern from
a pull request cannot stall the build with catastrophic backtracking.
"""

from __future__ import annotations

import functools
from typing import Any

import re2

__all__ = ["GoPattern", "PatternError", "compile_pattern", "search"]

GoPattern = Any  # re2's compiled pattern (its class is private)


class PatternError(ValueError):
    """A pattern Go's regexp package refuses; the message is RE2's own."""


@functools.cache
def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    return options


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> GoPattern | str:
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def compile_pattern(pattern: str) -> GoPattern:
    """The compiled pattern; ``PatternError`` with RE2's reason when Go would refuse it."""
    compiled = _compiled(pattern)
    if isinstance(compiled, str):
        raise PatternError(compiled)
    return compiled


def search(pattern: str, text: str) -> bool:
    """Whether ``text`` contains a match (JSON Schema's ``pattern`` is unanchored)."""
    return compile_pattern(pattern).search(text) is not None
