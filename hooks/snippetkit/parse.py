"""Find the tested blocks of a Markdown page and check their options. Nothing runs here.

A block is tested when its opening fence carries ``test="..."`` among its superfences options
(```` ```console test="run" session="demo" ````). Every mistake an author can make in those
options is a ``SourceError`` at the opening fence's ``path:line``, found before anything runs.
Fences are matched the way pymdownx.superfences matches them (same character, same length), so
what we test is exactly what the reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from hooks.errors import SourceError
from hooks.snippetkit.model import DEFAULT_SESSION, Block

#: Our options; they are consumed before superfences sees the fence.
OWN_OPTIONS = ("test", "session", "file", "requires", "timeout", "reason")
#: superfences/highlight options a tested block may still carry; they reach the renderer.
PASSTHROUGH_OPTIONS = ("title", "hl_lines", "linenums")
TEST_VALUES = ("run", "check", "skip")

#: language (as written after the fence) -> runner kind for ``test="run"``
RUN_KINDS: dict[str, str] = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "pycon": "pycon",
    "console": "console",
    "shell-session": "console",
    "bash": "shell",
    "sh": "shell",
    "shell": "shell",
}
#: languages ``test="check"`` validates: ``hooks.validators.SUPPORTED`` (a test keeps them equal;
#: not imported here, so a warm build does not load the Kubernetes schemas)
CHECK_LANGS = frozenset({"yaml", "bash", "sh", "console", "python", "go", "dockerfile"})

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_LANG = re.compile(r"^\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$)")
_OPTION = re.compile(
    r"""[ \t]*(?P<key>[a-zA-Z][a-zA-Z0-9_-]*)(?:=(?P<q>"|')(?P<value>.*?)(?P=q))?(?=[\t ]|$)"""
)
_QUOTED_TESTED = re.compile(r"^[ \t]*>[> \t]*(`{3,}|~{3,}).*\btest\s*=")
_TIMEOUT = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class Fence:
    """One fenced block as written: where it opens and closes, its language and raw options."""

    start: int  # 0-based index of the opening line
    end: int | None  # 0-based index of the closing line; None when unterminated
    indent: str
    fence: str
    lang: str
    info: str
    options: dict[str, str]
    option_error: str = ""


@dataclass
class ParsedPage:
    """The result of scanning one page: tested blocks in page order, and the mistakes found."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)


def parse_options(info: str) -> tuple[str, dict[str, str], str]:
    """Split a fence's info string into language and ``key="value"`` options.

    Returns ``(lang, options, error)``; ``error`` is non-empty when part of the string is not an
    option (superfences would then treat the whole header as unrecognized).
    """
    rest = info
    lang = ""
    m = _LANG.match(rest)
    if m:
        lang = m.group("lang")
        rest = rest[m.end() :]
    options: dict[str, str] = {}
    pos = 0
    rest = rest.rstrip()
    while pos < len(rest):
        m = _OPTION.match(rest, pos)
        if not m:
            return lang, options, f"cannot read the options after `{lang}`: `{rest.strip()}`"
        value = m.group("value")
        options[m.group("key")] = m.group("key") if value is None else value
        pos = m.end()
    return lang, options, ""


def scan_fences(lines: list[str]) -> list[Fence]:
    """Every fenced block of a page (tested or not), so nested examples are never mistaken."""
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "```" not in line and "~~~" not in line:  # fast path: most lines are prose
            i += 1
            continue
        m = _OPEN.match(line)
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info")
        if info.startswith("{"):
            lang, options, err = "", {}, ""
            if re.search(r"\btest\s*=", info):
                err = 'write the options as ```lang test="run" ...```, not in braces'
                options = {"test": ""}
        else:
            lang, options, err = parse_options(info)
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip(" \t") == fence), None)
        fences.append(Fence(i, end, m.group("indent"), fence, lang, info, options, err))
        if end is None:
            break
        i = end + 1
    return fences


def _dedent(lines: list[str], indent: str) -> str:
    n = len(indent.expandtabs(4))
    out = []
    for line in lines:
        k = 0
        while k < len(line) and k < n and line[k] in " \t":
            k += 1
        out.append(line[k:])
    return "".join(x + "\n" for x in out)


def _kind(lang: str, test: str, options: dict[str, str]) -> str | None:
    if test == "skip":
        return "skip"
    if test == "check":
        return "check" if lang.lower() in CHECK_LANGS else None
    kind = RUN_KINDS.get(lang.lower())
    if kind is None and "file" in options:
        return "file"
    return kind


def _check(fence: Fence) -> str:
    """The first thing wrong with a tested fence's options, or ''."""
    opts = fence.options
    if fence.option_error:
        return fence.option_error
    unknown = [k for k in opts if k not in OWN_OPTIONS + PASSTHROUGH_OPTIONS]
    if unknown:
        known = ", ".join(OWN_OPTIONS + PASSTHROUGH_OPTIONS)
        return f"unknown option `{unknown[0]}` (known: {known})"
    test = opts["test"]
    if test not in TEST_VALUES:
        return f'unknown test value "{test}" (use "run", "check" or "skip")'
    if test == "skip" and not opts.get("reason", "").strip():
        return 'test="skip" needs reason="..." saying why the block is not run'
    if not fence.lang:
        return "a tested block needs a language after the fence"
    if _kind(fence.lang, test, opts) is None:
        if test == "check":
            langs = ", ".join(sorted(CHECK_LANGS))
            return f'cannot check `{fence.lang}` blocks (test="check" knows: {langs})'
        return (
            f'cannot run `{fence.lang}` blocks (test="run" knows: '
            f'{", ".join(sorted(RUN_KINDS))}); use test="check", or file="..." to write it'
        )
    if "timeout" in opts and (not _TIMEOUT.match(opts["timeout"]) or float(opts["timeout"]) <= 0):
        return f'timeout="{opts["timeout"]}" is not a positive number of seconds'
    if "file" in opts:
        p = PurePosixPath(opts["file"])
        if not opts["file"] or p.is_absolute() or ".." in p.parts:
            return f'file="{opts["file"]}" must be a relative path inside the session folder'
    if "session" in opts and not re.fullmatch(r"[\w.-]+", opts["session"]):
        return f'session="{opts["session"]}" may only use letters, digits, ".", "_" and "-"'
    return ""


def parse_page(text: str, path: str, line_offset: int = 0) -> ParsedPage:
    """Tested blocks of one page, in page order, plus every option mistake as a SourceError.

    ``line_offset`` is the number of source lines before ``text`` (front matter), so block lines
    and errors name lines of the file on disk.
    """
    page = ParsedPage(path)
    lines = text.splitlines()
    fences = scan_fences(lines)
    inside = {
        j for f in fences for j in range(f.start, (f.end if f.end is not None else len(lines)) + 1)
    }
    for j, line in enumerate(lines):
        if j not in inside and _QUOTED_TESTED.match(line):
            page.errors.append(
                SourceError(
                    path,
                    line_offset + j + 1,
                    "a tested block cannot sit in a block quote",
                    "move it out of the quote, or drop test=",
                )
            )
    for fence in fences:
        line = line_offset + fence.start + 1
        swallowed = fence.end is None and any(
            re.search(r"^[ \t]*(`{3,}|~{3,}).*\btest=", x) for x in lines[fence.start + 1 :]
        )
        if "test" not in fence.options:
            ours = [k for k in fence.options if k in OWN_OPTIONS]
            if ours:
                page.errors.append(
                    SourceError(
                        path,
                        line,
                        f'option `{ours[0]}` without test="..."',
                        'add test="run", test="check" or test="skip"',
                    )
                )
            if swallowed:
                page.errors.append(
                    SourceError(
                        path,
                        line,
                        f"unterminated code fence `{fence.fence}`",
                        "close it with the same fence; it swallows the tested blocks below",
                    )
                )
            continue
        page.fences.append(fence)
        if fence.end is None:
            page.errors.append(
                SourceError(
                    path,
                    line,
                    f"unterminated code fence `{fence.fence}`",
                    f"close the block with `{fence.fence}` on a line of its own",
                )
            )
            continue
        problem = _check(fence)
        if problem:
            page.errors.append(SourceError(path, line, problem))
            continue
        opts = {k: v for k, v in fence.options.items() if k in OWN_OPTIONS}
        page.blocks.append(
            Block(
                path=path,
                line=line,
                lang=fence.lang,
                test=opts["test"],  # type: ignore[arg-type]
                kind=_kind(fence.lang, opts["test"], opts) or "",
                text=_dedent(lines[fence.start + 1 : fence.end], fence.indent),
                options=opts,
                session=opts.get("session", DEFAULT_SESSION),
                start=fence.start,
                end=fence.end,
                indent=fence.indent,
            )
        )
    return page
