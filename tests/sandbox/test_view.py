"""The sandbox's file system is deny-by-default (issue 13, item 6): proven from outside.

Canaries are planted on the host where a hostile diagram script or snippet went looking (another
repository's ``.git/config``, a unix socket under ``/var/tmp``, ``/srv``, ``/opt``, ``/home``,
``/mnt``, ``$HOME``, the built ``site/``); inside the sandbox none of them may be readable,
listable or connectable, while what tools need (the venv, the checkout, system programs) works.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT, sandbox

PYTHON = str(sandbox.VENV_BIN / "python")
SECRET = f"canary-{uuid.uuid4().hex}"

_READ = """
import os, sys
found = []
for path in sys.argv[1:]:
    try:
        if os.path.isdir(path):
            found.append(f"{path}: lists {sorted(os.listdir(path))}")
        else:
            with open(path) as f:
                found.append(f"{path}: reads {f.read()!r}")
    except OSError as exc:
        pass
print("\\n".join(found))
"""


@pytest.fixture
def canaries(tmp_path: Path) -> Iterator[list[Path]]:
    """World-readable secret files in places only the host should see."""
    made: list[Path] = []
    places = [
        Path("/var/tmp"),
        Path("/srv"),
        Path("/opt"),
        Path("/mnt"),
        Path("/home"),
        Path.home(),
        PROJECT_ROOT.parent,  # another repository next to the checkout
    ]
    for place in places:
        if not place.is_dir() or not os.access(place, os.W_OK):
            continue
        folder = place / f"sandbox-canary-{uuid.uuid4().hex[:8]}"
        (folder / ".git").mkdir(parents=True)
        (folder / ".git" / "config").write_text(f"[remote]\n\ttoken = {SECRET}\n")
        for path in (folder, folder / ".git", folder / ".git" / "config"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        made.append(folder)
    assert made, "no place to plant a canary"
    yield made
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


def test_canaries_outside_the_checkout_are_invisible(workdir, canaries, bwrap):
    targets = [str(f / ".git" / "config") for f in canaries] + [str(f) for f in canaries]
    # the folders themselves, listed: their names must not show up either
    parents = sorted({str(f.parent) for f in canaries})
    result = sandbox.run([PYTHON, "-c", _READ, *targets, *parents], workdir=workdir)
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout
    assert not any(f.name in result.stdout for f in canaries), result.stdout


def test_other_repositories_on_the_machine_are_invisible(workdir, bwrap):
    """The clones next to this one (``/work/main``, other helpers' work trees) do not exist."""
    others = []
    for folder in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent):
        if folder == Path("/"):  # the system folders the sandbox binds are not other repos
            continue
        skip = (PROJECT_ROOT, PROJECT_ROOT.parent)
        others += [p for p in folder.iterdir() if p not in skip and p.is_dir()]
    assert others, "no neighbouring folder to look for"
    result = sandbox.run(
        ["sh", "-c", 'for p; do test -e "$p" && echo "$p"; done; true', "-"]
        + [str(p) for p in others],
        workdir=workdir,
    )
    assert result.stdout == ""


@pytest.fixture
def var_tmp_socket() -> Iterator[tuple[Path, list[bytes]]]:
    path = Path("/var/tmp") / f"canary-{uuid.uuid4().hex[:8]}.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    path.chmod(0o666)
    server.listen(1)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                received.append(conn.recv(100) or b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, received
    stop.set()
    thread.join()
    server.close()
    path.unlink(missing_ok=True)


def test_unix_socket_under_var_tmp_does_not_answer(workdir, var_tmp_socket, bwrap):
    path, received = var_tmp_socket
    code = (
        "import socket\ns = socket.socket(socket.AF_UNIX)\n"
        f"try:\n    s.connect({str(path)!r}); s.sendall(b'hello'); print('connected')\n"
        "except OSError as exc:\n    print('refused', exc)\n"
    )
    result = sandbox.run([PYTHON, "-c", code], workdir=workdir)
    assert result.stdout.startswith("refused"), result.stdout + result.stderr
    threading.Event().wait(0.5)
    assert received == []


def test_checkout_is_read_only_without_git_cache_and_site(workdir, bwrap):
    planted = []
    for name in ("site", ".cache"):
        folder = PROJECT_ROOT / name
        folder.mkdir(exist_ok=True)
        canary = folder / f"sandbox-canary-{uuid.uuid4().hex[:8]}.txt"
        canary.write_text(SECRET)
        canary.chmod(0o644)
        planted.append(canary)
    try:
        result = sandbox.run(
            [
                "sh",
                "-c",
                'cat "$@" 2>/dev/null; ls -A "$0"/.git "$0"/site; cat "$0"/README.md',
                str(PROJECT_ROOT),
                *map(str, planted),
                str(PROJECT_ROOT / ".git" / "config"),
            ],
            workdir=workdir,
        )
    finally:
        for canary in planted:
            canary.unlink()
    assert SECRET not in result.stdout
    assert "[remote" not in result.stdout and "[core]" not in result.stdout
    assert "Control Loop" in result.stdout  # the checkout itself is there (README.md)


def test_what_tools_need_is_there(workdir, bwrap):
    """System programs, the venv's packages and the checkout's hooks work inside."""
    result = sandbox.run(
        [
            PYTHON,
            "-c",
            "import yaml, hooks.errors, subprocess, sys; "
            "print(subprocess.run(['sh', '-c', 'echo $0; ls /bin/sh'], capture_output=True, "
            "text=True).stdout.split())",
        ],
        workdir=workdir,
        env={"PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['sh', '/bin/sh']"


def test_root_of_the_sandbox_holds_only_the_allow_list(workdir, bwrap):
    result = sandbox.run(["ls", "-A", "/"], workdir=workdir)
    top = set(result.stdout.split())
    allowed = {
        "usr",
        "etc",
        "bin",
        "sbin",
        "lib",
        "lib32",
        "lib64",
        "libx32",
        "dev",
        "proc",
        "tmp",
        "var",
    }
    allowed |= {p.parts[1] for p in (PROJECT_ROOT, Path(sandbox.VENV_BIN).resolve(), workdir)}
    allowed |= {Path(os.path.realpath(__import__("sys").base_prefix)).parts[1]}
    allowed |= {
        Path(e).resolve().parts[1]
        for e in os.environ.get("PATH", "").split(":")
        if e.startswith("/") and Path(e).name in {"bin", "sbin"} and Path(e).exists()
    }
    assert top <= allowed, top - allowed
    for hidden in ("srv", "opt", "mnt", "home", "run", "sys", "media", "boot"):
        if hidden not in allowed:
            assert hidden not in top
