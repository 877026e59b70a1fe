"""Each sandbox property proven by a hostile snippet and a check from outside the sandbox."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT, sandbox
from hooks.sandbox import Limits

PYTHON = str(sandbox.VENV_BIN / "python")


def py(code: str, workdir: Path, **kwargs) -> sandbox.Result:
    return sandbox.run([PYTHON, "-c", code], workdir=workdir, **kwargs)


# -- environment ---------------------------------------------------------------------------


def test_environment_is_the_allow_list_plus_explicit_env(workdir, monkeypatch):
    monkeypatch.setenv("CONTROL_LOOP_TEST_SECRET", "hunter2-secret")
    result = py(
        "import os, json; print(json.dumps(dict(os.environ), sort_keys=True))",
        workdir,
        env={"GREETING": "hello"},
    )
    assert result.returncode == 0, result.stderr
    env = __import__("json").loads(result.stdout)
    assert set(env) == {"PATH", "HOME", "LANG", "TMPDIR", "PWD", "GREETING"}
    assert env["HOME"] == str(workdir.resolve())
    assert env["LANG"] == "C.UTF-8"
    assert env["TMPDIR"] == "/tmp"
    assert env["PWD"] == str(workdir.resolve())
    assert env["GREETING"] == "hello"
    assert env["PATH"].split(":")[0] == str(sandbox.VENV_BIN)
    assert "hunter2-secret" not in result.stdout


def test_secret_not_readable_through_proc(workdir, monkeypatch, bwrap):
    monkeypatch.setenv("CONTROL_LOOP_TEST_SECRET", "hunter2-secret")
    # every process the sandbox can see, and the parent's environment by pid, if reachable
    hostile = f"cat /proc/*/environ /proc/{__import__('os').getpid()}/environ 2>/dev/null; true"
    result = sandbox.run(["sh", "-c", hostile], workdir=workdir)
    assert result.returncode == 0
    assert "hunter2-secret" not in result.stdout + result.stderr


def test_venv_python_usable_inside(workdir):
    result = sandbox.run(["python", "-c", "import sys, yaml; print(sys.prefix)"], workdir=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(PROJECT_ROOT / ".venv")


def test_stdin_and_exit_code_pass_through(workdir):
    result = sandbox.run(["sh", "-c", "tr a-z A-Z; exit 3"], workdir=workdir, stdin="shout\n")
    assert (result.returncode, result.stdout, result.timed_out) == (3, "SHOUT\n", False)


# -- network -------------------------------------------------------------------------------


@pytest.fixture
def tcp_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1 recording what each connection sent."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                received.append(conn.recv(100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


CONNECT = """
import socket, sys
try:
    s = socket.create_connection(("{host}", {port}), timeout=3)
    s.sendall(b"hello from the sandbox")
    s.close()
    print("connected")
except OSError as exc:
    print("refused", type(exc).__name__, exc)
"""


def test_cannot_reach_host_loopback(workdir, tcp_server, bwrap):
    port, received = tcp_server
    result = py(CONNECT.format(host="127.0.0.1", port=port), workdir)
    assert result.stdout.startswith("refused"), result.stdout + result.stderr
    assert received == []


def test_network_true_reaches_host_loopback(workdir, tcp_server):
    port, received = tcp_server
    result = py(CONNECT.format(host="127.0.0.1", port=port), workdir, network=True)
    assert result.stdout.strip() == "connected", result.stdout + result.stderr
    for _ in range(50):
        if received:
            break
        threading.Event().wait(0.05)
    assert received == [b"hello from the sandbox"]


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(CONNECT.format(host="10.255.255.1", port=80), id="private-address"),
        pytest.param(CONNECT.format(host="1.1.1.1", port=443), id="public-address"),
        pytest.param(CONNECT.format(host="::1", port=22), id="ipv6-loopback-of-host"),
        pytest.param(
            "import socket\ntry:\n    socket.getaddrinfo('pypi.org', 443)\n    print('resolved')\n"
            "except OSError as exc:\n    print('refused', exc)\n",
            id="dns",
        ),
    ],
)
def test_cannot_reach_other_addresses(workdir, hostile, bwrap):
    result = py(hostile, workdir, limits=Limits(timeout=20))
    assert result.stdout.startswith("refused"), result.stdout + result.stderr


def test_only_loopback_interface_inside(workdir, bwrap):
    result = sandbox.run(["cat", "/proc/net/dev"], workdir=workdir)
    interfaces = [line.split(":")[0].strip() for line in result.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]


# -- file system ---------------------------------------------------------------------------


def _targets(tmp_path: Path) -> dict[str, Path]:
    marker = f"sandbox-escape-{uuid.uuid4().hex}"
    return {
        "checkout": PROJECT_ROOT / marker,
        "checkout-docs": PROJECT_ROOT / "docs" / marker,
        "checkout-git": PROJECT_ROOT / ".git" / marker,
        "checkout-cache": PROJECT_ROOT / ".cache" / marker,
        "venv": sandbox.VENV_BIN / marker,
        "home": Path.home() / marker,
        "tmp": Path("/tmp") / marker,
        "sibling-of-workdir": tmp_path / marker,
        "var-tmp": Path("/var/tmp") / marker,
        "dev-shm": Path("/dev/shm") / marker,
    }


@pytest.mark.parametrize("where", sorted(_targets(Path("/x"))))
def test_cannot_write_outside_workdir(workdir, tmp_path, where, bwrap):
    target = _targets(tmp_path)[where]
    hostile = f"import pathlib\npathlib.Path({str(target)!r}).write_text('pwned')\n"
    try:
        py(hostile, workdir)
        assert not target.exists(), f"the sandbox wrote {target}"
    finally:
        target.unlink(missing_ok=True)


def test_writes_inside_workdir_and_private_tmp(workdir):
    result = sandbox.run(
        ["sh", "-c", "echo kept > out.txt && echo scratch > /tmp/scratch && cat /tmp/scratch"],
        workdir=workdir,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "scratch\n"
    assert (workdir / "out.txt").read_text() == "kept\n"


def test_caller_files_in_workdir_stay_editable(workdir):
    (workdir / "pod.yaml").write_text("kind: Pod\n")
    (workdir / "sub").mkdir()
    (workdir / "sub" / "x").write_text("1\n")
    result = sandbox.run(
        ["sh", "-c", "sed -i s/Pod/Job/ pod.yaml && echo 2 >> sub/x"], workdir=workdir
    )
    assert result.returncode == 0, result.stderr
    assert (workdir / "pod.yaml").read_text() == "kind: Job\n"
    assert (workdir / "sub" / "x").read_text() == "1\n2\n"


def test_home_and_project_private_folders_hidden(workdir, bwrap):
    home_files = sorted(p.name for p in Path.home().iterdir())
    result = py(
        "import os, pathlib, sys\n"
        f"print(sorted(os.listdir({str(Path.home())!r})))\n"
        f"print(os.listdir({str(PROJECT_ROOT / '.git')!r}))\n"
        f"print(os.listdir({str(PROJECT_ROOT / '.cache')!r}) if os.path.isdir("
        f"{str(PROJECT_ROOT / '.cache')!r}) else [])\n",
        workdir,
    )
    assert result.returncode == 0, result.stderr
    inside_home, inside_git, inside_cache = result.stdout.splitlines()
    secrets = [name for name in home_files if name not in {".pyenv", ".cargo", ".local"}]
    assert not any(repr(name) in inside_home for name in secrets), inside_home
    assert inside_git == "[]"
    assert inside_cache == "[]"


def test_readable_paths_are_bound_read_only(workdir, tmp_path, bwrap):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # world-readable: under root the sandbox runs as another uid
    (data / "fixture.txt").write_text("fixture\n")
    hidden = sandbox.run(["cat", str(data / "fixture.txt")], workdir=workdir)
    assert hidden.returncode != 0
    shown = sandbox.run(
        ["sh", "-c", f"cat {data}/fixture.txt; echo x > {data}/fixture.txt"],
        workdir=workdir,
        readable=[data],
    )
    assert shown.stdout == "fixture\n"
    assert shown.returncode != 0
    assert (data / "fixture.txt").read_text() == "fixture\n"


# -- resource limits -----------------------------------------------------------------------


def test_too_many_processes_stopped(workdir, nproc_enforced):
    hostile = (
        "import os, time\n"
        "n = 0\n"
        "try:\n"
        "    for _ in range(200):\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "except OSError as exc:\n"
        "    print('stopped', n, exc.errno)\n"
    )
    result = py(hostile, workdir, limits=Limits(processes=32, timeout=20))
    words = result.stdout.split()
    assert words[:1] == ["stopped"], result.stdout + result.stderr
    assert int(words[1]) < 32
    assert words[2] == "11"  # EAGAIN


def test_process_limit_survives_a_nested_user_namespace(workdir, nproc_enforced):
    """Becoming "root" in a new user namespace does not lift the sandbox's process limit."""
    hostile = (
        "import os, time\n"
        "n = 0\n"
        "try:\n"
        "    for _ in range(200):\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "except OSError:\n"
        "    print('stopped', n)\n"
        "else:\n"
        "    print('not stopped', n)\n"
    )
    result = sandbox.run(
        ["unshare", "--user", "--map-root-user", PYTHON, "-c", hostile],
        workdir=workdir,
        limits=Limits(processes=32, timeout=20),
    )
    # either the kernel refuses the nested namespace, or the limit still holds inside it
    assert "not stopped" not in result.stdout, result.stdout
    if result.stdout:
        assert int(result.stdout.split()[1]) < 32


def test_fork_bomb_contained_and_gone(workdir, processes_with, nproc_enforced):
    marker = f"bomb{uuid.uuid4().hex}"
    script = workdir / f"{marker}.py"
    script.write_text(
        "import os, time\n"
        "while True:\n"
        "    try:\n"
        "        os.fork()\n"
        "    except OSError:\n"
        "        time.sleep(60)\n"
    )
    result = sandbox.run(
        [PYTHON, str(script)], workdir=workdir, limits=Limits(processes=24, timeout=3)
    )
    assert result.timed_out
    assert processes_with(marker) == []


def test_memory_hog_fails(workdir):
    result = py(
        "data = bytearray(512 << 20)\nprint('allocated')",
        workdir,
        limits=Limits(memory_bytes=256 << 20),
    )
    assert result.returncode != 0
    assert "MemoryError" in result.stderr
    assert "allocated" not in result.stdout


def test_file_size_limit(workdir):
    result = py(
        "open('big.bin', 'wb').write(b'x' * (4 << 20))",
        workdir,
        limits=Limits(file_size_bytes=1 << 20),
    )
    assert result.returncode != 0
    assert "File too large" in result.stderr
    assert (workdir / "big.bin").stat().st_size <= 1 << 20


def test_open_files_limit(workdir):
    result = py(
        "files = []\ntry:\n    for i in range(500):\n        files.append(open(f'f{i}', 'w'))\n"
        "except OSError as exc:\n    print('stopped', len(files), exc.strerror)\n",
        workdir,
        limits=Limits(open_files=40),
    )
    assert result.stdout.startswith("stopped"), result.stdout + result.stderr
    assert int(result.stdout.split()[1]) < 40
    assert "Too many open files" in result.stdout


def test_cpu_limit_kills_busy_loop(workdir):
    result = py("while True: pass", workdir, limits=Limits(timeout=60, cpu_seconds=1))
    assert not result.timed_out
    assert result.returncode != 0


# -- timeout and output ----------------------------------------------------------------------


def test_timeout_kills_grandchildren(workdir, processes_with):
    marker = f"{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}7"
    result = sandbox.run(
        ["sh", "-c", f"(sleep 9{marker} &) ; sleep 9{marker} & echo started; wait"],
        workdir=workdir,
        limits=Limits(timeout=1),
    )
    assert result.timed_out
    assert result.returncode is None
    assert result.stdout == "started\n"
    assert processes_with(f"sleep 9{marker}") == []


def test_timeout_kills_escaped_session(workdir, processes_with, bwrap):
    marker = f"{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}3"
    result = sandbox.run(
        ["sh", "-c", f"setsid sleep 9{marker} & sleep 30"],
        workdir=workdir,
        limits=Limits(timeout=1),
    )
    assert result.timed_out
    assert processes_with(f"sleep 9{marker}") == []


def test_background_process_does_not_outlive_run(workdir, processes_with):
    marker = f"{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}1"
    result = sandbox.run(["sh", "-c", f"sleep 9{marker} & echo bye"], workdir=workdir)
    assert result.returncode == 0
    assert not result.timed_out
    assert processes_with(f"sleep 9{marker}") == []


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_flood_capped_with_notice(workdir, stream):
    result = py(f"import sys\nsys.{stream}.write('x' * (5 << 20))", workdir)
    text = getattr(result, stream)
    assert result.returncode == 0
    assert result.truncated
    assert text.endswith("\n[output truncated at 1 MiB]\n")
    assert text.count("x") == 1 << 20


def test_endless_flood_bounded_until_timeout(workdir):
    result = sandbox.run(["yes", "flood"], workdir=workdir, limits=Limits(timeout=1.5))
    assert result.timed_out and result.truncated
    assert len(result.stdout) < (1 << 20) + 100


def test_output_under_cap_untouched(workdir):
    result = py("print('é' * 10)", workdir, limits=Limits(output_bytes=64))
    assert (result.stdout, result.truncated) == ("é" * 10 + "\n", False)


# -- long-lived worker ---------------------------------------------------------------------


def test_popen_worker_round_trip_and_kill(workdir, processes_with):
    marker = f"{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}9"
    worker = sandbox.popen(
        [
            "sh",
            "-c",
            f'sleep 9{marker} & while read line; do echo "got $line"; done',
        ],
        workdir=workdir,
    )
    try:
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write("ping\n")
        worker.stdin.flush()
        assert worker.stdout.readline() == "got ping\n"
        assert processes_with(f"sleep 9{marker}") != []
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert processes_with(f"sleep 9{marker}") == []


def test_popen_worker_network_isolated(workdir, tcp_server, bwrap):
    port, received = tcp_server
    worker = sandbox.popen(
        [PYTHON, "-c", CONNECT.format(host="127.0.0.1", port=port)], workdir=workdir
    )
    out, _ = worker.communicate(timeout=30)
    assert out.startswith("refused")
    assert received == []


# -- working directories -------------------------------------------------------------------


def test_workdir_inside_hidden_cache_folder(bwrap):
    """Session workdirs live under .cache/; the rest of .cache stays hidden from them."""
    base = PROJECT_ROOT / ".cache" / f"sandbox-test-{uuid.uuid4().hex}"
    workdir = base / "session"
    workdir.mkdir(parents=True)
    (base / "other-result").write_text("private\n")
    try:
        result = sandbox.run(
            ["sh", "-c", f"echo ok > out; ls {base}; cat {base}/other-result"], workdir=workdir
        )
        assert (workdir / "out").read_text() == "ok\n"
        assert result.stdout == "session\n"
        assert "private" not in result.stdout
        assert result.returncode != 0
    finally:
        import shutil

        shutil.rmtree(base)


def test_worker_and_runs_of_one_session_share_files(workdir):
    worker = sandbox.popen(
        [
            PYTHON,
            "-u",
            "-c",
            "import sys\nfor l in sys.stdin:\n    open(l.strip(), 'a').write('w')\n"
            "    print('done', flush=True)",
        ],
        workdir=workdir,
    )
    try:
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write("shared.txt\n")
        worker.stdin.flush()
        assert worker.stdout.readline() == "done\n"
        result = sandbox.run(["sh", "-c", "echo r >> shared.txt"], workdir=workdir)
        assert result.returncode == 0, result.stderr
        worker.stdin.write("shared.txt\n")
        worker.stdin.flush()
        assert worker.stdout.readline() == "done\n"
    finally:
        worker.kill()
        worker.wait()
    assert (workdir / "shared.txt").read_text() == "wr\nw"


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="hand-over to a sandbox uid: root only")
def test_hand_over_never_follows_links(workdir, tmp_path, bwrap):
    import os

    outside = tmp_path / "outside.txt"
    outside.write_text("root's\n")
    os.link(outside, workdir / "hardlink")
    (workdir / "symlink").symlink_to(outside)
    (workdir / "dirlink").symlink_to(tmp_path)
    result = sandbox.run(
        ["sh", "-c", "echo pwned > hardlink; echo pwned > symlink"], workdir=workdir
    )
    assert result.returncode != 0
    assert outside.stat().st_uid == 0
    assert tmp_path.stat().st_uid == 0
    assert outside.read_text() == "root's\n"
    assert (workdir / "symlink").lstat().st_uid != 0  # the link itself was handed over


def test_missing_readable_path_is_ignored(workdir, tmp_path):
    result = sandbox.run(["true"], workdir=workdir, readable=[tmp_path / "not-there"])
    assert (result.returncode, result.stderr) == (0, "")


def test_service_sockets_under_run_hidden(workdir, bwrap):
    """Docker's socket, D-Bus and the user's agents live under /run: none of it exists inside."""
    result = sandbox.run(["sh", "-c", "ls -A /run /var/run"], workdir=workdir)
    assert result.stdout == ""
    assert result.stderr.count("No such file or directory") == 2, result.stderr


def test_checkout_under_tmp_stays_visible(monkeypatch, tmp_path, bwrap):
    """A checkout in /tmp (CI scratch space) is bound back over the private /tmp, read-only,
    still without its .git."""
    project = tmp_path / "checkout"
    (project / ".git").mkdir(parents=True)
    (project / ".git" / "config").write_text("[secret]\n")
    (project / "script.sh").write_text("echo from the checkout\n")
    for path in (tmp_path, project, project / ".git"):
        path.chmod(0o755)
    # patched where the file-system view reads it (the checkout to bind back, its .git to hide)
    monkeypatch.setattr("hooks.sandbox.filesystem.PROJECT_ROOT", project)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = sandbox.run(
        ["sh", "-c", f"sh {project}/script.sh; ls -A {project}/.git; touch {project}/new"],
        workdir=workdir,
    )
    assert result.stdout == "from the checkout\n"
    assert result.returncode != 0
    assert not (project / "new").exists()
