"""Expected output a reader can read: `` (re)`` and `` (glob)`` lines turned into examples.

A console block's expected output may use cram's patterns (``sha256:[0-9a-f]{64} (re)``). They
are for checking; a page without a recording (a cluster block that has not run in CI yet) shows
each pattern line as the output it stands for, with a placeholder for each part that changes
from run to run: ``sha256:<64 hex digits>``. Regular expressions are read with Python's own
parser, so what is shown is what the pattern means; a construct with no short name becomes
``<...>``.
"""

from __future__ import annotations

import re
import warnings

with warnings.catch_warnings():  # the parser module is the only exact reading of a pattern
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import re._parser as _sre  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as _sre  # type: ignore[no-redef]
    import re._constants as _c  # type: ignore[import-not-found]

#: Shown for any part of a pattern that has no shorter description.
ANYTHING = "…"
_SUFFIXES = {" (re)": "re", " (glob)": "glob", " (esc)": "esc"}
_DIGITS = frozenset("0123456789")
_HEX = _DIGITS | frozenset("abcdef")
_HEX_ANY = _HEX | frozenset("ABCDEF")


def pattern_kind(line: str) -> tuple[str, str]:
    """(``re`` / ``glob`` / ``esc`` / ``""``, the line without its suffix)."""
    for suffix, kind in _SUFFIXES.items():
        if line.endswith(suffix):
            return kind, line[: -len(suffix)]
    return "", line


def readable_line(line: str) -> str:
    """One expected-output line as a reader should see it (plain lines are unchanged)."""
    kind, body = pattern_kind(line)
    if kind == "re":
        return readable_regex(body)
    if kind == "glob":
        return readable_glob(body)
    if kind == "esc":
        try:
            return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except UnicodeDecodeError:
            return body
    return line


def readable_glob(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i + 1])
            i += 2
            continue
        if c in "*?":
            j = i
            while j < len(pattern) and pattern[j] in "*?":
                j += 1
            run = pattern[i:j]
            if "*" in run:
                out.append(ANYTHING)
            else:
                out.append("<1 character>" if len(run) == 1 else f"<{len(run)} characters>")
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


def readable_regex(pattern: str) -> str:
    try:
        parsed = _sre.parse(pattern)
    except re.error:
        return ANYTHING
    return _merge(_seq(list(parsed)))


def _charset(item: tuple[object, object]) -> frozenset[str] | None:
    """The characters a single-character item matches, when that is a small finite set."""
    op, av = item
    if op is _c.LITERAL:
        return frozenset(chr(av))  # type: ignore[arg-type]
    if op is _c.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:  # type: ignore[attr-defined]
            if sub_op is _c.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is _c.RANGE:
                lo, hi = sub_av
                if hi - lo > 80:
                    return None
                chars.update(chr(x) for x in range(lo, hi + 1))
            elif sub_op is _c.CATEGORY and sub_av is _c.CATEGORY_DIGIT:
                chars.update(_DIGITS)
            else:
                return None
        return frozenset(chars)
    return None


def _class_name(item: tuple[object, object]) -> str | None:
    """A name for one character class: ``digit``, ``hex digit``, ... or None."""
    op, av = item
    if op is _c.IN and len(av) == 1:  # type: ignore[arg-type]
        sub_op, sub_av = av[0]  # type: ignore[index]
        if sub_op is _c.CATEGORY:
            return {
                _c.CATEGORY_DIGIT: "digit",
                _c.CATEGORY_SPACE: "space",
                _c.CATEGORY_NOT_SPACE: "text",
                _c.CATEGORY_WORD: "word",
            }.get(sub_av)
    if op is _c.ANY:
        return "any"
    chars = _charset(item)
    if chars is None:
        return None
    if chars <= _DIGITS:
        return "digit"
    if chars <= _HEX_ANY:
        return "hex digit"
    if chars <= _DIGITS | {"."}:
        return "version"
    if len(chars) == 1:
        return "literal"
    return None


def _repeat(lo: int, hi: int, sub: list[tuple[object, object]]) -> str:
    if len(sub) == 1:
        name = _class_name(sub[0])
        if name == "literal":
            char = chr(sub[0][1])  # type: ignore[arg-type]
            if char == " " and hi > 1:
                return "  "
            return char * max(lo, 1)
        if name == "space":
            return "  " if hi > 1 else " "
        if name in ("any", "text", "word"):
            return ANYTHING if name == "any" else "<text>"
        if name == "version":
            return "<version>"
        if name in ("digit", "hex digit"):
            if lo == hi:
                return f"<{lo} {name}{'s' if lo != 1 else ''}>"
            return "<number>" if name == "digit" else "<hex digits>"
    inner = _seq(sub)
    if lo == 0 and hi == 1:
        return inner  # an optional part: shown present, one output the pattern accepts
    return inner if lo == hi == 1 else ANYTHING


def _seq(items: list[tuple[object, object]]) -> str:
    out: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(chr(av))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av  # type: ignore[misc]
            out.append(_repeat(lo, hi, list(sub)))
        elif op is _c.SUBPATTERN:
            out.append(_seq(list(av[-1])))  # type: ignore[index]
        elif op is _c.BRANCH:
            alternatives = [_seq(list(alt)) for alt in av[1]]  # type: ignore[index]
            out.append("<" + " or ".join(alternatives) + ">")
        elif op is _c.AT:
            continue  # ^ and $ print nothing
        elif op is _c.ANY:
            out.append(".")  # nearly always an unescaped dot: "loading...", "github.com"
        else:
            name = _class_name((op, av))
            if name == "literal":
                out.append(next(iter(_charset((op, av)) or {""})))
            elif name == "space":
                out.append(" ")
            elif name in ("digit", "hex digit"):
                out.append(f"<1 {name}>")
            else:
                out.append(ANYTHING)
    return "".join(out)


_NUMBERISH = re.compile(r"(?:<1 digit>|<\d+ digits>|<number>)(?:<1 digit>|<\d+ digits>|<number>)+")
_DOTS = re.compile(f"{ANYTHING}{{2,}}")


def _merge(text: str) -> str:
    """``[1-9][0-9]*`` reads as one number, not as a digit followed by a number."""
    return _DOTS.sub(ANYTHING, _NUMBERISH.sub("<number>", text))
