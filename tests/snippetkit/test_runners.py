"""Every run rule, passing and failing, through the real sandbox: python, pycon, console,
shell, sessions, file=, requires=, timeouts, exit codes, regex/glob lines, skip."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.snippetkit.conftest import RunPage

F = "```"

CASES = [
    # (id, markdown, expected statuses in page order, text expected in the first failure)
    ("python passes", f'{F}python test="run"\nx = 1 + 1\nassert x == 2\n{F}\n', ["passed"], ""),
    (
        "python exception fails",
        f'{F}python test="run"\nraise KeyError("nope")\n{F}\n',
        ["failed"],
        "KeyError: 'nope'",
    ),
    (
        "python SystemExit(0) passes",
        f'{F}python test="run"\nimport sys; sys.exit(0)\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "python session shares names",
        f'{F}python test="run" session="a"\nx = 41\n{F}\n\n'
        f'{F}python test="run" session="a"\nassert x == 41\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "default session shares names",
        f'{F}python test="run"\nx = 41\n{F}\n\n{F}python test="run"\nassert x == 41\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "sessions are isolated",
        f'{F}python test="run" session="a"\nx = 41\n{F}\n\n'
        f'{F}python test="run" session="b"\nx\n{F}\n',
        ["passed", "failed"],
        "NameError: name 'x' is not defined",
    ),
    (
        "pycon passes with ellipsis",
        f'{F}pycon test="run"\n>>> list(range(20))\n[0, 1, ..., 19]\n>>> 1 + 1\n2\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "pycon wrong output fails with diff",
        f'{F}pycon test="run"\n>>> 1 + 1\n3\n{F}\n',
        ["failed"],
        "-3\n+2",
    ),
    (
        "pycon shares the python session",
        f'{F}python test="run"\nx = 5\n{F}\n\n{F}pycon test="run"\n>>> x * 2\n10\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "pycon expected exception",
        f'{F}pycon test="run"\n>>> 1 / 0\nTraceback (most recent call last):\n  ...\n'
        f"ZeroDivisionError: division by zero\n{F}\n",
        ["passed"],
        "",
    ),
    ("console exact output", f'{F}console test="run"\n$ echo hello\nhello\n{F}\n', ["passed"], ""),
    (
        "console wrong output",
        f'{F}console test="run"\n$ echo hello\nbye\n{F}\n',
        ["failed"],
        "`echo hello` printed different output",
    ),
    (
        "console continuation lines",
        f'{F}console test="run"\n$ printf "%s\\n" a \\\n>   b\na\nb\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console regex line",
        f'{F}console test="run"\n$ echo id-12345\nid-[0-9]+ (re)\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console regex line must match whole line",
        f'{F}console test="run"\n$ echo id-12345x\nid-[0-9]+ (re)\n{F}\n',
        ["failed"],
        "",
    ),
    (
        "console glob line",
        f'{F}console test="run"\n$ echo pod/web-7d9f created\npod/web-* created (glob)\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console glob escapes",
        f'{F}console test="run"\n$ echo "a*b"\na\\*b (glob)\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console stderr is part of the output",
        f'{F}console test="run"\n$ echo oops >&2\noops\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console expected exit code",
        f'{F}console test="run"\n$ sh -c "exit 3"\n[3]\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "console unexpected exit code",
        f'{F}console test="run"\n$ false\n{F}\n',
        ["failed"],
        "`false` exited with status 1, expected 0",
    ),
    (
        "console wrong expected exit code",
        f'{F}console test="run"\n$ sh -c "exit 2"\n[3]\n{F}\n',
        ["failed"],
        "exited with status 2, expected 3",
    ),
    (
        "console needs a prompt",
        f'{F}console test="run"\nhello\n{F}\n',
        ["failed"],
        "must start with a `$ ` command line",
    ),
    (
        "console env and cwd carry over",
        f'{F}console test="run" session="s"\n$ export GREETING=hi; mkdir -p sub && cd sub\n{F}\n\n'
        f'{F}console test="run" session="s"\n'
        f'$ echo "$GREETING from $(basename "$PWD")"\nhi from sub\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "shell variables and functions carry over",
        f'{F}bash test="run" session="s"\nN=3\nsay() {{ echo "said $1"; }}\n{F}\n\n'
        f'{F}console test="run" session="s"\n$ say $N\nsaid 3\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "shell state does not leak across sessions",
        f'{F}console test="run" session="a"\n$ export X=1\n{F}\n\n'
        f'{F}console test="run" session="b"\n$ echo "[${{X:-unset}}]"\n[unset]\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    ("bash script exit 0", f'{F}bash test="run"\nset -e\ntrue\necho done\n{F}\n', ["passed"], ""),
    (
        "bash script failing",
        f'{F}bash test="run"\necho about to fail\nexit 4\n{F}\n',
        ["failed"],
        "exited with status 4",
    ),
    ("sh script", f'{F}sh test="run"\n[ 1 -eq 1 ]\n{F}\n', ["passed"], ""),
    (
        "file= for a later console block",
        f'{F}yaml test="run" file="conf/app.yaml" session="f"\nname: demo\n{F}\n\n'
        f'{F}console test="run" session="f"\n$ cat conf/app.yaml\nname: demo\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "file= python module imported later",
        f'{F}python test="run" file="helper.py"\ndef twice(x):\n    return 2 * x\n{F}\n\n'
        f'{F}python test="run"\nfrom helper import twice\nassert twice(4) == 8\n{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "file= is per session",
        f'{F}text test="run" file="note.txt" session="a"\nhello\n{F}\n\n'
        f'{F}console test="run" session="b"\n$ cat note.txt\n[1]\n{F}\n',
        ["passed", "failed"],
        "printed different output",
    ),
    (
        "skip with reason",
        f'{F}text test="skip" reason="needs a real cluster"\nkubectl get pods\n{F}\n',
        ["skipped"],
        "",
    ),
    (
        "python timeout fails and ends the session",
        f'{F}python test="run" timeout="1"\nimport time\ntime.sleep(30)\n{F}\n\n'
        f'{F}python test="run"\nprint("never")\n{F}\n',
        ["failed", "skipped"],
        'timed out after 1 s (timeout="1")',
    ),
    (
        "console timeout ends the session",
        f'{F}console test="run" timeout="1"\n$ sleep 30\n{F}\n\n'
        f'{F}console test="run"\n$ echo later\nlater\n{F}\n',
        ["failed", "skipped"],
        "timed out",
    ),
    (
        "bash timeout",
        f'{F}bash test="run" timeout="1"\nsleep 30\n{F}\n',
        ["failed"],
        'timed out after 1 s (timeout="1")',
    ),
]


MIXED = (
    f'{F}python test="run" session="m"\nopen("a.txt", "w").write("from python\\n")\n{F}\n\n'
    f'{F}console test="run" session="m"\n$ cat a.txt\nfrom python\n$ echo hi > b.txt\n{F}\n\n'
    f'{F}text test="run" session="m" file="sub/c.txt"\ndata\n{F}\n\n'
    f'{F}python test="run" session="m"\nassert open("b.txt").read() == "hi\\n"\n'
    f'open("sub/d.txt", "w").write("x")\n{F}\n'
)
CASES.append(("python and shell share one session folder", MIXED, ["passed"] * 4, ""))
CASES.append(
    (
        "pycon without examples",
        f'{F}pycon test="run"\nprint("no prompt")\n{F}\n',
        ["failed"],
        "needs at least one `>>> ` example",
    )
)
CASES.append(
    (
        "python stdin is empty, not the worker's requests",
        f'{F}python test="run"\ninput()\n{F}\n\n{F}python test="run"\nassert 1\n{F}\n',
        ["failed", "passed"],
        "EOFError",
    )
)


@pytest.mark.parametrize(
    ("markdown", "statuses", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_run_rules(run_page: RunPage, markdown: str, statuses: list[str], text: str) -> None:
    run = run_page(markdown)
    assert run.statuses() == statuses
    failures = [o for o in run.outcomes() if o.failed]
    if text:
        assert failures, "expected a failure"
        first = failures[0]
        assert text in "\n".join([first.message, first.diff, first.stderr])


def test_traceback_quotes_the_markdown_line(run_page: RunPage) -> None:
    run = run_page(f'# Title\n\n{F}python test="run"\nx = 1\nraise ValueError("at line 5")\n{F}\n')
    (outcome,) = run.outcomes()
    assert "line 5, in <module>" in outcome.diff
    assert 'raise ValueError("at line 5")' in outcome.diff
    assert outcome.diff.rstrip().endswith("ValueError: at line 5")


def test_python_stderr_tail_is_reported(run_page: RunPage) -> None:
    code = 'import sys\nprint("warn-1", file=sys.stderr)\nraise SystemExit(2)'
    (outcome,) = run_page(f'{F}python test="run"\n{code}\n{F}\n').outcomes()
    assert outcome.failed and "SystemExit: 2" in outcome.diff
    assert "warn-1" in outcome.stderr


REQUIRES = [
    (
        "missing tool skips the block and the rest of its session",
        f'{F}python test="run" session="k"\nx = 1\n{F}\n\n'
        f'{F}console test="run" session="k" requires="kubectl-not-here"\n'
        f"$ kubectl-not-here get pods\n{F}\n\n"
        f'{F}python test="run" session="k"\nraise SystemExit(1)\n{F}\n\n'
        f'{F}python test="run" session="other"\nx = 2\n{F}\n',
        ["passed", "skipped", "skipped", "passed"],
        "requires kubectl-not-here (not on PATH)",
    ),
    (
        "present tools run",
        f'{F}console test="run" requires="bash sh"\n$ echo ok\nok\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "network is not allowed by default",
        f'{F}console test="run" requires="network"\n$ echo online\nonline\n{F}\n',
        ["skipped"],
        "requires network",
    ),
]


@pytest.mark.parametrize(
    ("markdown", "statuses", "reason"), [c[1:] for c in REQUIRES], ids=[c[0] for c in REQUIRES]
)
def test_requires(run_page: RunPage, markdown: str, statuses: list[str], reason: str) -> None:
    run = run_page(markdown)
    assert run.statuses() == statuses
    if reason:
        skipped = [o for o in run.outcomes() if o.status == "skipped"]
        assert all(reason in o.reason for o in skipped)


def test_network_block_runs_when_the_run_allows_it(run_page: RunPage) -> None:
    run = run_page(
        f'{F}console test="run" requires="network"\n$ echo online\nonline\n{F}\n', network=True
    )
    assert run.statuses() == ["passed"]


def test_sandbox_keeps_snippets_out_of_the_checkout(run_page: RunPage) -> None:
    from hooks import PROJECT_ROOT

    target = PROJECT_ROOT / "snippet-escape-probe.txt"
    run = run_page(f'{F}console test="run"\n$ touch {target} 2>/dev/null\n[1]\n{F}\n')
    assert not target.exists()
    assert run.statuses() == ["passed"], run.outcomes()


@pytest.fixture
def fake_docker_socket(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A listening Unix socket standing in for the Docker engine, reachable via DOCKER_HOST."""
    folder = Path(tempfile.mkdtemp(prefix="fake-docker-"))
    folder.chmod(0o755)  # a root caller's sandbox runs as another uid and must pass it
    path = folder / "docker.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    path.chmod(0o666)
    server.listen(1)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    monkeypatch.setenv("CONTROL_LOOP_DOCKER", "1")  # the e2e workflow's opt-in
    yield path
    server.close()
    shutil.rmtree(folder)


def test_only_docker_sessions_see_the_docker_socket(
    run_page: RunPage, fake_docker_socket: Path
) -> None:
    probe = (
        f"$ python3 -c 'import socket; s = socket.socket(socket.AF_UNIX);"
        f' s.connect("{fake_docker_socket}"); print("connected")\'\n'
    )
    run = run_page(
        f'{F}console test="run" session="d" requires="docker"\n{probe}connected\n{F}\n\n'
        f'{F}console test="run" session="plain"\n$ test -S {fake_docker_socket}\n[1]\n{F}\n',
        available=lambda tool: True,
    )
    assert run.statuses() == ["passed", "passed"], run.outcomes()
