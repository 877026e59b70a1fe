"""Hostile pages (issue 13): what a pull request's snippets try against the host, checked from
outside the sandbox.

Each attack ends with a failed (or honestly skipped) block naming ``path:line``, within its time
limit; the evidence is looked at from the host: canary files outside the session folder, the
project's own ``hooks/seo.py``, the host's memory, a clean run afterwards.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT
from tests.snippetkit.conftest import PageRun, RunPage

F = "```"
#: Far above what a fixed build needs for these pages, far below "hangs for ever".
ATTACK_SECONDS = 90


def within(seconds: float, fn: Callable[[], PageRun]) -> PageRun:
    """``fn()`` in a thread: a hang fails the test instead of hanging the suite."""
    box: list[PageRun | BaseException] = []

    def target() -> None:
        try:
            box.append(fn())
        except BaseException as exc:  # handed to the test thread
            box.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"the host was still busy after {seconds} s (hang)"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside every session folder (world-writable: nothing stops a write but us)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


# -- file= writes through links (item 1) -----------------------------------------------------


def test_file_write_through_a_linked_folder_is_refused(run_page: RunPage, outside: Path) -> None:
    run = within(
        ATTACK_SECONDS,
        lambda: run_page(
            f'{F}console test="run"\n$ ln -s {outside} out\n{F}\n\n'
            f'{F}text test="run" file="out/x"\npwned\n{F}\n\n'
            f'{F}console test="run"\n$ echo after\nafter\n{F}\n'
        ),
    )
    assert list(outside.iterdir()) == []
    bad = run.by_line(5)
    assert bad.status == "failed"
    assert 'file="out/x"' in bad.message and "link" in bad.message
    assert bad.block_id.endswith("page.md:5")


def test_file_write_over_a_link_to_a_project_file_is_refused(run_page: RunPage) -> None:
    zoom = PROJECT_ROOT / "hooks" / "seo.py"  # any project file the hooks import
    before, original = _sha(zoom), zoom.read_bytes()
    try:
        run = within(
            ATTACK_SECONDS,
            lambda: run_page(
                f'{F}console test="run"\n$ ln -s {zoom} z\n{F}\n\n'
                f'{F}python test="run" file="z"\nprint("attacker code, unsandboxed")\n{F}\n'
            ),
        )
        assert _sha(zoom) == before, "hooks/seo.py was replaced through a link"
    finally:
        if zoom.read_bytes() != original:
            zoom.write_bytes(original)
    bad = run.by_line(5)
    assert bad.status == "failed"
    assert 'file="z"' in bad.message and "link" in bad.message


def test_file_write_over_a_fifo_is_refused_without_hanging(run_page: RunPage) -> None:
    run = within(
        ATTACK_SECONDS,
        lambda: run_page(
            f'{F}console test="run"\n$ mkfifo pipe\n{F}\n\n'
            f'{F}text test="run" file="pipe"\nblocked?\n{F}\n'
        ),
    )
    bad = run.by_line(5)
    assert bad.status == "failed"
    assert 'file="pipe"' in bad.message and "not a regular file" in bad.message


def test_link_swapped_in_by_a_background_process_is_never_followed(
    run_page: RunPage, outside: Path
) -> None:
    """A thread left running by an earlier block keeps replacing ``d`` with a link (most of the
    time): each write lands in the real folder or is refused, never outside."""
    swap = (
        "import os, threading, time\nos.mkdir('d')\n"
        "def flip():\n    while True:\n"
        "        try:\n            os.rename('d', 'd.real')\n"
        f"            os.symlink({str(outside)!r}, 'd')\n            time.sleep(0.009)\n"
        "            os.unlink('d')\n            os.rename('d.real', 'd')\n"
        "            time.sleep(0.001)\n        except OSError:\n            pass\n"
        "threading.Thread(target=flip, daemon=True).start()\ntime.sleep(0.2)\n"
    )
    blocks = "".join(f'{F}text test="run" file="d/f{i}"\nx\n{F}\n\n' for i in range(20))
    within(ATTACK_SECONDS, lambda: run_page(f'{F}python test="run"\n{swap}{F}\n\n{blocks}'))
    assert list(outside.iterdir()) == []


def test_clean_file_writes_still_work(run_page: RunPage) -> None:
    run = run_page(
        f'{F}text test="run" file="deep/er/notes.txt"\nhello\n{F}\n\n'
        f'{F}console test="run"\n$ cat deep/er/notes.txt\nhello\n{F}\n\n'
        f'{F}text test="run" file="deep/er/notes.txt"\nagain\n{F}\n\n'
        f'{F}console test="run"\n$ cat deep/er/notes.txt\nagain\n{F}\n'
    )
    assert run.statuses() == ["passed"] * 4, run.outcomes()


# -- the Python worker's replies (item 7) ------------------------------------------------------

#: Finds the worker's reply pipe from inside a block and writes ``DATA`` to it.
_TO_PROTOCOL = """\
import fcntl, os, stat, time
for fd in range(3, 64):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode) and (
            fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
        ):
            {write}
    except OSError:
        pass
time.sleep(600)
"""


def test_partial_reply_then_sleep_times_out(run_page: RunPage) -> None:
    code = _TO_PROTOCOL.format(write="os.write(fd, b'{\"ok\": tru')")
    run = within(
        ATTACK_SECONDS,
        lambda: run_page(
            f'{F}python test="run" timeout="3"\n{code}{F}\n\n{F}python test="run"\nx = 1\n{F}\n'
        ),
    )
    first, second = run.outcomes()
    assert first.status == "failed" and "timed out" in first.message, first
    assert second.status == "skipped"


def test_deeply_nested_reply_is_not_a_crash(run_page: RunPage) -> None:
    code = _TO_PROTOCOL.format(write="os.write(fd, b'[' * 200_000 + b'\\n')")
    run = within(ATTACK_SECONDS, lambda: run_page(f'{F}python test="run" timeout="3"\n{code}{F}\n'))
    (outcome,) = run.outcomes()
    assert outcome.status == "failed" and "timed out" in outcome.message, outcome


def test_huge_reply_is_cut_and_host_memory_bounded(run_page: RunPage) -> None:
    # 400 MB on the reply pipe, no newline, then sleep
    write = "\n".join(
        [
            "chunk = b'a' * (1 << 20)",
            "            for _ in range(400):",
            "                os.write(fd, chunk)",
        ]
    )
    code = _TO_PROTOCOL.format(write=write)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    run = within(
        ATTACK_SECONDS, lambda: run_page(f'{F}python test="run" timeout="60"\n{code}{F}\n')
    )
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    (outcome,) = run.outcomes()
    assert outcome.status == "failed"
    assert "reply" in outcome.message and "MiB" in outcome.message, outcome
    assert grown < 150 << 10, f"the host grew by {grown >> 10} MiB reading one reply"


# -- expected-output patterns (item 7) -----------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param("(a+)+ (re)", id="nested-quantifier-regex"),
        pytest.param("(a|a)*b (re)", id="alternation-regex"),
        pytest.param("*a*a*a*a*a*a*a*a*a*a*b (glob)", id="many-stars-glob"),
    ],
)
def test_catastrophic_pattern_does_not_hang_the_host(run_page: RunPage, expected: str) -> None:
    run = within(
        ATTACK_SECONDS,
        lambda: run_page(
            f'{F}console test="run"\n$ printf "%0.sa" $(seq 3000); echo "!"\n{expected}\n{F}\n'
        ),
    )
    (outcome,) = run.outcomes()
    assert outcome.status == "failed"
    assert "printed different output" in outcome.message


# -- the Docker socket (item 4) --------------------------------------------------------------


@pytest.fixture
def fake_docker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fake-docker-"))
    folder.chmod(0o755)
    path = folder / "docker.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    path.chmod(0o666)
    server.listen(4)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    monkeypatch.delenv("CONTROL_LOOP_DOCKER", raising=False)
    yield path
    server.close()
    shutil.rmtree(folder)


def _docker_page(sock: Path) -> str:
    probe = (
        f"$ python3 -c 'import socket; s = socket.socket(socket.AF_UNIX);"
        f' s.connect("{sock}"); print("connected")\'\n'
    )
    return f'{F}console test="run" requires="docker"\n{probe}connected\n{F}\n'


def test_docker_socket_not_given_without_the_opt_in(run_page: RunPage, fake_docker: Path) -> None:
    run = run_page(_docker_page(fake_docker), available=lambda tool: True)
    (outcome,) = run.outcomes()
    assert outcome.status == "skipped", outcome
    assert "CONTROL_LOOP_DOCKER=1" in outcome.reason


def test_docker_opt_in_binds_the_socket_and_passes_docker_host(
    run_page: RunPage, fake_docker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTROL_LOOP_DOCKER", "1")
    page = _docker_page(fake_docker) + (
        f'\n{F}console test="run" requires="docker"\n$ echo "$DOCKER_HOST"\n'
        f"unix://{fake_docker}\n{F}\n"
    )
    run = run_page(page, available=lambda tool: True)
    assert run.statuses() == ["passed", "passed"], run.outcomes()


def test_docker_missing_is_still_a_plain_skip(run_page: RunPage, fake_docker: Path) -> None:
    run = run_page(_docker_page(fake_docker), available=lambda tool: tool != "docker")
    (outcome,) = run.outcomes()
    assert outcome.status == "skipped"
    assert outcome.reason == "requires docker (not on PATH)"


def test_only_the_e2e_workflow_opts_in_to_docker() -> None:
    import yaml

    opted = []
    for path in sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text())
        for job in workflow["jobs"].values():
            envs = [workflow.get("env") or {}, job.get("env") or {}]
            envs += [step.get("env") or {} for step in job.get("steps", [])]
            if any(str(env.get("CONTROL_LOOP_DOCKER")) == "1" for env in envs):
                opted.append(path.name)
    assert opted == ["e2e.yml"]
    for name in ("Makefile", ".ci/run"):
        assert "CONTROL_LOOP_DOCKER" not in (PROJECT_ROOT / name).read_text()


def test_patterns_keep_their_meaning_in_linear_time() -> None:
    from hooks.snippetkit.patterns import line_matches

    assert line_matches(r"sha256:[0-9a-f]{64} (re)", "sha256:" + "ab" * 32)
    assert line_matches(r"created at \d{4}-\d\d-\d\d (re)", "created at 2026-12-01")
    assert not line_matches(r"created at \d{4} (re)", "created at 2026 and more")  # whole line
    assert line_matches("ls: cannot access * (glob)", "ls: cannot access '/x': No such file")
    assert line_matches(r"a\*b? (glob)", "a*bc")
    assert not line_matches(r"a\*b? (glob)", "axbc")
    assert line_matches("plain (re", "plain (re")
    # what RE2 refuses (backreferences, lookaround) or cannot parse never matches, never raises
    assert not line_matches(r"(a)\1 (re)", "aa")
    assert not line_matches(r"(?=a)a (re)", "a")
    assert not line_matches("([ (re)", "([")
    assert not line_matches("(a+)+ (re)", "a" * 100_000 + "!")
