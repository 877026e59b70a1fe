"""Expected-output lines of ``console`` blocks: exact, `` (re)`` or `` (glob)``, in linear time.

Why a module of its own: the patterns come from a pull request and the output they are matched
against from its code, so matching must never be the host's problem. Python's ``re``
backtracks: ``(a+)+ (re)`` against a line of a's and a ``!`` takes longer than the universe,
holding the GIL (so ``mkdocs serve`` stops answering), and a glob of many ``*`` is polynomial.
RE2 (``google-re2``) matches in time linear in the line, in bounded memory, so both kinds are
compiled with it. Its syntax is Python's for everything expected-output lines use (classes,
``\\d``, ``{64}``, groups, alternation); what it refuses (backreferences, lookaround) never
matches, so the block fails with its diff instead of hanging.
"""

from __future__ import annotations

import functools
import re

import re2

RE_SUFFIX = " (re)"
GLOB_SUFFIX = " (glob)"
#: RE2's memory for one compiled pattern (its default is 8 MiB); a pattern needing more fails.
_MAX_MEM = 8 << 20


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a bad pattern is the block's failure, not noise on stderr
    options.max_mem = _MAX_MEM
    return options


def glob_to_regex(pattern: str) -> str:
    """``*`` any run, ``?`` one character, ``\\`` escapes the next; the rest is literal."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _compiled(regex: str) -> re2._Regexp | None:
    try:
        return re2.compile(regex, _options())
    except re2.error:
        return None


def line_matches(expected: str, actual: str) -> bool:
    """Whether one actual output line satisfies one expected line."""
    if expected.endswith(RE_SUFFIX):
        compiled = _compiled(expected[: -len(RE_SUFFIX)])
    elif expected.endswith(GLOB_SUFFIX):
        compiled = _compiled(glob_to_regex(expected[: -len(GLOB_SUFFIX)]))
    else:
        return expected == actual
    return compiled is not None and compiled.fullmatch(actual) is not None
