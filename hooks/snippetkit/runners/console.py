"""``console`` blocks: ``$ `` commands (continued by ``> `` lines) and their expected output.

Each command runs in bash in the session's shell state, stderr merged into stdout as a terminal
shows it. Its output must match the lines up to the next ``$ ``: exactly (trailing spaces
ignored), or as a regular expression for lines ending in `` (re)``, or a glob for `` (glob)``
(``*``, ``?``, backslash escapes). A final ``[N]`` line expects exit status N instead of 0.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from hooks.snippetkit import patterns
from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.runners.base import failed, passed, unified_diff

_STATUS = re.compile(r"^\[(\d+)\]$")


@dataclass
class Command:
    lines: list[str]  # as written, prompts included
    expected: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return "\n".join(line[2:] if len(line) > 1 else "" for line in self.lines)

    @property
    def expected_status(self) -> int:
        if self.expected and _STATUS.match(self.expected[-1].strip()):
            return int(self.expected[-1].strip()[1:-1])
        return 0

    @property
    def expected_output(self) -> list[str]:
        out = self.expected[:-1] if self.expected_status else self.expected
        return _trim(out)


def _trim(lines: list[str]) -> list[str]:
    lines = [x.rstrip() for x in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def parse_console(text: str) -> tuple[list[str], list[Command]]:
    """Lines before the first prompt, and the commands with their expected output."""
    lead: list[str] = []
    commands: list[Command] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            commands.append(Command([line]))
        elif commands and not commands[-1].expected and (line.startswith("> ") or line == ">"):
            commands[-1].lines.append(line)
        elif commands:
            commands[-1].expected.append(line)
        else:
            lead.append(line)
    return lead, commands


def glob_to_regex(pattern: str) -> str:
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


def line_matches(expected: str, actual: str) -> bool:
    # linear time (RE2): a pull request's pattern must never hang the host
    return patterns.line_matches(expected, actual)


def output_matches(expected: list[str], actual: list[str]) -> bool:
    return len(expected) == len(actual) and all(map(line_matches, expected, actual))


def _updated(cmd: Command, actual: list[str], status: int | None) -> list[str]:
    """Expected lines for ``cmd`` after --update: keep lines that still match."""
    exp = cmd.expected_output
    if len(exp) == len(actual):
        body = [e if line_matches(e, a) else a for e, a in zip(exp, actual, strict=True)]
    else:
        body = list(actual)
    if status:
        body.append(f"[{status}]")
    return body


class ConsoleRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        lead, commands = parse_console(block.text)
        if any(x.strip() for x in lead) or not commands:
            return failed(block, "a console block must start with a `$ ` command line")
        deadline = time.monotonic() + block.timeout
        new_lines: list[str] = []
        first_bad: str = ""
        stderr = ""
        for i, cmd in enumerate(commands):
            left = max(deadline - time.monotonic(), 0.1)
            res = ctx.run_shell(cmd.code, timeout=left, merge_stderr=True)
            actual = _trim(res.output.splitlines())
            new_lines.extend(cmd.lines)
            if res.timed_out:
                msg = f'`{cmd.code.splitlines()[0]}` timed out (timeout="{block.timeout:g}")'
                return failed(
                    block, msg, diff="\n".join(actual[-15:]), stderr=res.stderr, timed_out=True
                )
            ok_status = res.returncode == cmd.expected_status
            ok_output = output_matches(cmd.expected_output, actual)
            if ok_status and ok_output:
                new_lines.extend(cmd.expected)
                continue
            stderr = res.stderr
            if not first_bad:
                first_bad = (
                    f"`{cmd.code.splitlines()[0]}` exited with status {res.returncode}, "
                    f"expected {cmd.expected_status}"
                    if not ok_status
                    else f"`{cmd.code.splitlines()[0]}` printed different output"
                )
            blank_after = bool(cmd.expected) and not cmd.expected[-1].strip()
            new_lines.extend(_updated(cmd, actual, res.returncode))
            if blank_after and i + 1 < len(commands):
                new_lines.append("")
        if not first_bad:
            return passed(block)
        new_text = "".join(x + "\n" for x in new_lines)
        return failed(
            block,
            first_bad,
            diff=unified_diff(block.text, new_text, block),
            stderr=stderr,
            new_text=new_text,
        )
