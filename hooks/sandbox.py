"""Run untrusted code (snippets, diagram scripts from a pull request) with the least it needs.

Why a module of its own: snippets and diagrams both execute code that arrives in a pull request,
and the protections must be the same everywhere and proven once (``tests/sandbox/``).

What a sandboxed process gets (with bubblewrap, Debian package ``bubblewrap``):

- a read-only view of the whole file system, with the caller's ``$HOME``, the project's
  ``.cache`` and ``.git`` and ``/run`` (service sockets) replaced by empty directories (the
  checkout, the Python installation and ``PATH`` entries under ``$HOME`` are bound back
  read-only, so the project's ``.venv/bin/python`` works);
- a writable ``workdir`` and a private, empty ``/tmp`` and ``/dev/shm``;
- no network at all: a fresh network namespace holding only its own loopback (``network=True``
  shares the host's network instead);
- a clean environment: ``PATH`` (the venv's ``bin`` first), ``HOME=workdir``, ``LANG=C.UTF-8``,
  ``TMPDIR=/tmp`` plus the caller's explicit ``env``;
- its own PID, IPC and UTS namespaces; when the sandbox ends, everything it started dies with it;
- resource limits (CPU seconds, address space, processes, file size, open files) applied inside;
- when the caller is root: an unprivileged uid of its own per working directory, because the
  kernel never enforces ``RLIMIT_NPROC`` for uid 0 (``workdir`` is handed to that uid first).

The caller gets a wall-clock timeout that kills the whole sandbox, and output capped per stream.
Without bubblewrap the same environment, limits, timeout and cap apply to a plain subprocess and
``sandbox_status()`` returns a one-line warning; under ``CI=true`` that is an error instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import resource
import select
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hooks import PROJECT_ROOT

#: The project's virtual environment; its ``bin`` leads ``PATH`` inside the sandbox.
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
#: Project folders a sandboxed process has no business reading (other results, history).
HIDDEN_PROJECT_DIRS = (".cache", ".git")
#: Base of the uids used for sandboxes started by root (any unused range works: no passwd entry).
SANDBOX_UID_BASE = 200_000
_SANDBOX_UID_SPAN = 1 << 16
_READ_CHUNK = 1 << 16
#: After the command exits, how long pipes held open by escaped processes are still read.
_DRAIN_SECONDS = 5.0
_PROBE_TIMEOUT = 15.0


class SandboxUnavailableError(RuntimeError):
    """Raised under ``CI=true`` when bubblewrap is missing or does not work: CI must not run
    pull-request code unsandboxed."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # wall clock; on expiry the whole process group is killed
    cpu_seconds: int | None = None  # RLIMIT_CPU; None -> ceil(timeout) + 1
    memory_bytes: int = 1 << 30  # RLIMIT_AS
    processes: int = 256  # RLIMIT_NPROC (per sandbox user namespace / sandbox uid)
    file_size_bytes: int = 64 << 20  # RLIMIT_FSIZE
    open_files: int = 256  # RLIMIT_NOFILE
    output_bytes: int = 1 << 20  # stdout+stderr cap each; a notice is appended when cut

    @property
    def effective_cpu_seconds(self) -> int:
        if self.cpu_seconds is not None:
            return self.cpu_seconds
        return math.ceil(self.timeout) + 1


@dataclass(frozen=True)
class Result:
    returncode: int | None  # None when the run was killed for its timeout
    stdout: str
    stderr: str
    timed_out: bool
    truncated: bool
    duration: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


# --------------------------------------------------------------------------------------------
# Is bubblewrap usable here?


def ci_requires_sandbox() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@functools.lru_cache(maxsize=1)
def _probe() -> str | None:
    """Run ``true`` once through the exact sandbox command line; None when it works, else why."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="control-loop-sandbox-probe-") as tmp:
        try:
            launch = _build(["true"], Path(tmp), Limits(), None, False, (), True)
            proc = launch.start(
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            output, _ = proc.communicate(timeout=_PROBE_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return f"bubblewrap did not finish `true` within {_PROBE_TIMEOUT:g} s"
        except (OSError, subprocess.SubprocessError) as exc:
            return f"bubblewrap does not start ({exc})"
    if proc.returncode != 0:
        detail = output.decode(errors="replace").strip().splitlines()
        return f"bubblewrap does not work here ({detail[-1] if detail else proc.returncode})"
    return None


def sandbox_status() -> str | None:
    """None when bubblewrap works; otherwise a one-line warning saying what is unprotected."""
    problem = _probe()
    if problem is None:
        return None
    limits = (
        "limits but the process count (ignored for root) and timeouts still apply"
        if _run_as_root()
        else "limits and timeouts still apply"
    )
    return f"sandbox: {problem}; running code unsandboxed (no file or network isolation, {limits})"


def _use_bwrap() -> bool:
    problem = _probe()
    if problem is None:
        return True
    if ci_requires_sandbox():
        raise SandboxUnavailableError(
            f"sandbox required under CI=true but {problem}; "
            "install it with: sudo apt-get install bubblewrap"
        )
    return False


# --------------------------------------------------------------------------------------------
# The command line


def _environment(workdir: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    path = [str(VENV_BIN)]
    for entry in os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin").split(os.pathsep):
        if entry and entry not in path:
            path.append(entry)
    result = {
        "PATH": os.pathsep.join(path),
        "HOME": str(workdir),
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PWD": str(workdir),
    }
    result.update(env or {})
    return result


def _is_dir(path: Path) -> bool:
    """``Path.is_dir`` that says False for a folder this user may not look into."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _home() -> Path | None:
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):
        return None
    return None if home == Path("/") else home


def _python_prefixes() -> list[Path]:
    """Where the venv's interpreter really lives (a venv links to a base installation)."""
    prefixes = []
    python = VENV_BIN / "python"
    if _is_dir(python.parent):
        with contextlib.suppress(OSError, RuntimeError):
            prefixes.append(python.resolve(strict=True).parent.parent)
    prefixes += [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    return prefixes


def _hidden_project_dirs() -> list[Path]:
    return [PROJECT_ROOT / name for name in HIDDEN_PROJECT_DIRS if _is_dir(PROJECT_ROOT / name)]


class _Mounts:
    """bwrap mount arguments, in order; parents created inside a tmpfs stay traversable."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self._tmpfs: list[Path] = []
        self._made: set[Path] = set()

    def tmpfs(self, path: Path, perms: str = "0755") -> None:
        self._parents(path)
        self.argv += ["--perms", perms, "--tmpfs", str(path)]
        self._tmpfs.append(path)

    def bind(self, path: Path, *, writable: bool = False) -> None:
        self._parents(path)
        self.argv += ["--bind" if writable else "--ro-bind", str(path), str(path)]

    def _parents(self, path: Path) -> None:
        # bwrap creates missing mount points with mode 0700: a dropped uid could not pass them
        for parent in reversed(path.parents):
            inside = any(parent != t and _is_under(parent, t) for t in self._tmpfs)
            if inside and parent not in self._made:
                self.argv += ["--perms", "0755", "--dir", str(parent)]
                self._made.add(parent)


def _closed_ancestor(path: Path) -> Path | None:
    """The first folder above ``path`` that other users cannot pass (mode without o+x)."""
    for parent in reversed(path.parents):
        if parent == Path("/"):
            continue
        try:
            if not parent.stat().st_mode & 0o001:
                return parent
        except OSError:
            return None
    return None


def _minimal(paths: list[Path]) -> list[Path]:
    """Drop paths lying under another one of the list; keep order stable."""
    unique = list(dict.fromkeys(paths))
    return [p for p in unique if not any(q != p and _is_under(p, q) for q in unique)]


#: Kept visible under the hidden ``/run`` when the network is shared: systemd-resolved's
#: ``resolv.conf`` (``/etc/resolv.conf`` often links there).
RUN_KEPT_WITH_NETWORK = (Path("/run/systemd/resolve"),)


def _mounts(
    workdir: Path, readable: Sequence[Path], *, foreign_uid: bool, network: bool = False
) -> list[str]:
    """bwrap arguments: a private ``/tmp``, ``$HOME`` and the project's private folders hidden
    behind empty tmpfs, ``/run`` (service sockets) hidden, the writable ``workdir``.

    What code legitimately needs from under a hidden folder (the checkout, the Python
    installation, ``PATH`` entries, the caller's ``readable`` paths) is bound back read-only.
    With ``foreign_uid`` (root drops to a sandbox uid) a folder the sandbox uid could not pass
    on the way to a needed path (``/home/runner`` is 0750) is replaced the same way.
    """
    readable = [Path(p).resolve() for p in readable]
    needed = [PROJECT_ROOT, *_python_prefixes()]
    needed += [Path(e) for e in os.environ.get("PATH", "").split(os.pathsep) if os.path.isabs(e)]
    needed = [p for p in needed if _is_dir(p)]
    home = _home()
    masks = [home] if home is not None and _is_dir(home) else []
    if foreign_uid:
        for path in [*needed, *readable, workdir]:
            closed = _closed_ancestor(path)
            if closed is not None:
                masks.append(closed)
    private = [Path("/tmp")]
    if _is_dir(Path("/run")):
        # sockets a process could talk to despite the read-only view: Docker's (root on the
        # host for members of the docker group), D-Bus, the user's ssh and gpg agents
        private.append(Path("/run"))
    masks = [m for m in _minimal(masks) if not any(_is_under(m, p) for p in private)]
    hidden = private + masks
    # a checkout or interpreter under /tmp, /run or $HOME comes back read-only
    rebinds = _minimal([p for p in needed if any(_is_under(p, h) and p != h for h in hidden)])
    rebinds.sort(key=lambda p: len(p.parts))
    mounts = _Mounts()
    mounts.tmpfs(Path("/tmp"), perms="1777")
    for mask in hidden[1:]:
        mounts.tmpfs(mask)
    if network:
        for kept in RUN_KEPT_WITH_NETWORK:
            if _is_dir(kept):
                mounts.bind(kept)
    for path in rebinds:
        mounts.bind(path)
    for hidden in _hidden_project_dirs():
        mounts.tmpfs(hidden)
    for path in readable:
        if os.path.exists(path):  # nothing to show; bwrap would refuse to start
            mounts.bind(path)
    mounts.bind(workdir, writable=True)
    return mounts.argv


def _run_as_root() -> bool:
    return os.geteuid() == 0


def _sandbox_uid(workdir: Path) -> int:
    """The uid sandboxes of ``workdir`` run as (root callers only).

    One per working directory: RLIMIT_NPROC then counts one sandbox's processes only, and a
    long-lived worker (``popen``) and later ``run`` calls of the same session share their files.
    """
    digest = hashlib.sha256(os.fsencode(workdir)).digest()
    return SANDBOX_UID_BASE + int.from_bytes(digest[:4], "big") % _SANDBOX_UID_SPAN


def _limit_argv(limits: Limits) -> list[str]:
    """``prlimit`` (util-linux) sets the limits inside the sandbox, then runs the command."""
    cpu = limits.effective_cpu_seconds
    return [
        "prlimit",
        f"--cpu={cpu}:{cpu + 1}",
        f"--as={limits.memory_bytes}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_size_bytes}",
        f"--nofile={limits.open_files}",
        "--",
    ]


def _bwrap_argv(
    workdir: Path,
    env: Mapping[str, str],
    network: bool,
    readable: Sequence[Path],
    uid: int | None,
) -> list[str]:
    argv = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    # POSIX shared memory (multiprocessing locks) needs a writable, private /dev/shm
    argv += ["--perms", "1777", "--tmpfs", "/dev/shm"]
    argv += _mounts(workdir, readable, foreign_uid=uid is not None, network=network)
    if uid is None:
        # unprivileged caller: a user namespace (the limits then count per namespace)
        argv += ["--unshare-all"]
    else:
        # root: no user namespace (it would map back to uid 0); drop to ``uid`` inside instead
        argv += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        argv += ["--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    if network:
        if uid is None:
            argv += ["--share-net"]
        else:
            argv.remove("--unshare-net")
    argv += ["--die-with-parent", "--new-session", "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    argv += ["--chdir", str(workdir), "--"]
    if uid is not None:
        argv += [
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
        ]
    return argv


def _command(
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None,
    network: bool,
    readable: Sequence[Path],
    *,
    use_bwrap: bool,
    uid: int | None = None,
) -> list[str]:
    full_env = _environment(workdir, env)
    prefix: list[str] = []
    if use_bwrap:
        prefix = _bwrap_argv(workdir, full_env, network, readable, uid)
    if shutil.which("prlimit"):
        prefix += _limit_argv(limits)
    return [*prefix, *argv]


def _rlimit_setter(limits: Limits) -> Callable[[], None]:
    """Fallback when ``prlimit`` is missing: set the limits in the child before exec."""
    cpu = limits.effective_cpu_seconds
    pairs = [
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, limits.memory_bytes, limits.memory_bytes),
        (resource.RLIMIT_NPROC, limits.processes, limits.processes),
        (resource.RLIMIT_FSIZE, limits.file_size_bytes, limits.file_size_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
    ]

    def apply() -> None:
        for which, soft, hard in pairs:
            resource.setrlimit(which, (soft, hard))

    return apply


def _spawn_kwargs(workdir: Path, *, use_bwrap: bool, env: Mapping[str, str] | None = None):
    """Popen arguments: environment and cwd for the plain fallback, none needed for bwrap."""
    kwargs: dict[str, Any] = {"env": _environment(workdir, env), "cwd": str(workdir)}
    if use_bwrap:
        # bwrap itself starts from a clean environment too (it clears it for the child anyway)
        kwargs["env"] = {"PATH": kwargs["env"]["PATH"], "LANG": "C.UTF-8"}
    return kwargs


def _hand_over(workdir: Path, uid: int) -> None:
    """Give ``workdir`` and what the caller put in it to the sandbox uid (root callers only).

    A sandbox of the same directory may still be running (a session's worker), so nothing here
    trusts a path twice: ``fwalk`` holds each directory open (a directory swapped for a symlink
    is never entered), entries are changed relative to it without following links, and a file
    with several hard links (one could live outside ``workdir``) is left alone.
    """
    os.chown(workdir, uid, uid, follow_symlinks=False)
    for _root, dirs, files, dir_fd in os.fwalk(workdir, follow_symlinks=False):
        for name in dirs + files:
            with contextlib.suppress(FileNotFoundError):
                st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
                if st.st_uid == uid or (stat.S_ISREG(st.st_mode) and st.st_nlink > 1):
                    continue
                os.chown(name, uid, uid, dir_fd=dir_fd, follow_symlinks=False)


def _prepare(
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None,
    network: bool,
    readable: Sequence[Path],
) -> _Launch:
    if not argv:
        raise ValueError("sandbox: empty command")
    workdir = Path(workdir).resolve()
    if not workdir.is_dir():
        raise FileNotFoundError(f"sandbox: workdir {workdir} is not a directory")
    return _build(argv, workdir, limits, env, network, readable, _use_bwrap())


def _build(
    argv: Sequence[str],
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str] | None,
    network: bool,
    readable: Sequence[Path],
    use_bwrap: bool,
) -> _Launch:
    """The command line and Popen arguments for one sandboxed process."""
    uid = None
    if use_bwrap and _run_as_root():
        uid = _sandbox_uid(workdir)
        _hand_over(workdir, uid)
    command = _command(argv, workdir, limits, env, network, readable, use_bwrap=use_bwrap, uid=uid)
    kwargs = _spawn_kwargs(workdir, use_bwrap=use_bwrap, env=env)
    kwargs["start_new_session"] = True
    if not shutil.which("prlimit"):
        kwargs["preexec_fn"] = _rlimit_setter(limits)
    launch = _Launch(command, kwargs)
    if use_bwrap:
        # bwrap reports the PID namespace's init: killing the sandbox waits for it to be gone
        launch.info_read, launch.info_write = os.pipe()
        command[1:1] = ["--info-fd", str(launch.info_write)]
        kwargs["pass_fds"] = (launch.info_write,)
    return launch


@dataclass
class _Launch:
    command: list[str]
    kwargs: dict[str, Any]
    info_read: int | None = None
    info_write: int | None = None

    def start(self, **popen_kwargs: Any) -> SandboxedProcess:
        try:
            proc = SandboxedProcess(self.command, **self.kwargs, **popen_kwargs)
        except BaseException:
            self.close_read()
            raise
        finally:
            if self.info_write is not None:
                os.close(self.info_write)
                self.info_write = None
        if self.info_read is not None:
            proc._attach_sandbox(self.info_read)
            self.info_read = None
        return proc

    def close_read(self) -> None:
        if self.info_read is not None:
            os.close(self.info_read)
            self.info_read = None


# --------------------------------------------------------------------------------------------
# Running


def _human(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


class _Capped:
    """One output stream: keeps at most ``cap`` bytes and counts what it had to drop."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.chunks: list[bytes] = []
        self.kept = 0
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self.cap - self.kept
        if room > 0:
            self.chunks.append(chunk[:room])
            self.kept += min(room, len(chunk))
        self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        data = b"".join(self.chunks).decode("utf-8", errors="replace")
        if self.dropped:
            if data and not data.endswith("\n"):
                data += "\n"
            data += f"[output truncated at {_human(self.cap)}]\n"
        return data


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def run(
    argv: Sequence[str],
    *,
    workdir: Path,
    stdin: str | None = None,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    network: bool = False,
    readable: Sequence[Path] = (),
) -> Result:
    """Run ``argv`` in the sandbox with ``workdir`` as its writable current directory.

    Never raises for the command's own failure: a non-zero exit, a timeout (``returncode`` None,
    ``timed_out`` True) or a cut output are all in the ``Result``. Raises ``FileNotFoundError``
    for a missing workdir and ``SandboxUnavailableError`` under ``CI=true`` without bubblewrap.
    """
    launch = _prepare(argv, workdir, limits, env, network, readable)
    start = time.monotonic()
    proc = launch.start(
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        returncode, timed_out, outputs = _supervise(proc, stdin, limits)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.close()
    return Result(
        returncode=returncode,
        stdout=outputs[0].text(),
        stderr=outputs[1].text(),
        timed_out=timed_out,
        truncated=any(o.dropped for o in outputs),
        duration=time.monotonic() - start,
    )


def _supervise(
    proc: SandboxedProcess, stdin: str | None, limits: Limits
) -> tuple[int | None, bool, tuple[_Capped, _Capped]]:
    """Feed stdin, drain both pipes and watch the clock in one thread, without polling.

    One ``select`` loop over the pipes and a pidfd of the process: no reader threads to start
    (each costs about a millisecond on a busy machine) and no sleep-and-retry while waiting
    (``Popen.wait(timeout)`` sleeps in growing steps of up to 50 ms).
    """
    assert proc.stdout is not None and proc.stderr is not None
    deadline = time.monotonic() + limits.timeout
    outputs = (_Capped(limits.output_bytes), _Capped(limits.output_bytes))
    sel = selectors.DefaultSelector()
    for stream, output in zip((proc.stdout, proc.stderr), outputs, strict=True):
        os.set_blocking(stream.fileno(), False)
        sel.register(stream.fileno(), selectors.EVENT_READ, output)
    pending = memoryview(stdin.encode()) if stdin is not None else memoryview(b"")
    if proc.stdin is not None and pending:
        os.set_blocking(proc.stdin.fileno(), False)
        sel.register(proc.stdin.fileno(), selectors.EVENT_WRITE, "stdin")
    elif proc.stdin is not None:
        proc.stdin.close()
    try:
        pidfd: int | None = os.pidfd_open(proc.pid)
        sel.register(pidfd, selectors.EVENT_READ, "exit")
    except (AttributeError, OSError):
        pidfd = None
    returncode: int | None = None
    timed_out = exited = False

    def finished(now: float) -> None:
        nonlocal exited, deadline
        exited, deadline = True, now + _DRAIN_SECONDS
        if pidfd is not None:
            with contextlib.suppress(KeyError, ValueError):
                sel.unregister(pidfd)

    try:
        while not exited or any(k.data not in ("exit", "stdin") for k in sel.get_map().values()):
            now = time.monotonic()
            if now >= deadline:
                if exited:
                    break  # an escaped process holds a pipe open: stop reading
                timed_out = True
                proc.kill()
                proc.wait()
                finished(now)
                continue
            wait = deadline - now if pidfd is not None or exited else min(deadline - now, 0.01)
            for key, _ in sel.select(wait):
                if key.data == "exit":
                    returncode = proc.wait()
                    # background processes never outlive their run (bwrap: already gone)
                    _kill_group(proc.pid)
                    finished(time.monotonic())
                elif key.data == "stdin":
                    pending = _write_some(key.fd, pending)
                    if not pending:
                        sel.unregister(key.fd)
                        with contextlib.suppress(OSError):
                            proc.stdin.close()  # type: ignore[union-attr]
                else:
                    try:
                        chunk = os.read(key.fd, _READ_CHUNK)
                    except BlockingIOError:
                        continue
                    except OSError:
                        chunk = b""
                    if chunk:
                        key.data.add(chunk)
                    else:
                        sel.unregister(key.fd)
            if pidfd is None and not exited and proc.poll() is not None:
                returncode = proc.returncode
                _kill_group(proc.pid)
                finished(time.monotonic())
    finally:
        sel.close()
        if pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(pidfd)
    return (None if timed_out else returncode), timed_out, outputs


def _write_some(fd: int, pending: memoryview) -> memoryview:
    """Write what the pipe takes now; a reader that went away ends the input."""
    try:
        return pending[os.write(fd, pending[:_READ_CHUNK]) :]
    except BlockingIOError:
        return pending
    except OSError:
        return pending[:0]


def _readable(fd: int, timeout: float) -> bool:
    """Wait until ``fd`` is readable (``poll``: unlike ``select``, any fd number works)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout * 1000))


class SandboxedProcess(subprocess.Popen):
    """A sandboxed process: signals go to its whole process group, and ``wait()`` returns only
    when everything the sandbox started is gone (with bubblewrap: its PID namespace's init has
    exited, which the kernel allows only after killing every process of the namespace)."""

    _init_pidfd: int | None = None

    def _attach_sandbox(self, info_fd: int) -> None:
        data = b""
        try:
            while _readable(info_fd, _PROBE_TIMEOUT):
                chunk = os.read(info_fd, 4096)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(info_fd)
        try:
            self._init_pidfd = os.pidfd_open(int(json.loads(data)["child-pid"]))
        except (ValueError, KeyError, TypeError, OSError):
            self._init_pidfd = None  # bwrap failed early, or its init is already gone

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)

    def wait(self, timeout: float | None = None) -> int:
        returncode = super().wait(timeout)
        self._await_sandbox_exit()
        return returncode

    def _await_sandbox_exit(self, limit: float = 10.0) -> None:
        fd, self._init_pidfd = self._init_pidfd, None
        if fd is None:
            return
        try:
            # killed with bwrap's monitor, the init tears the namespace down right after
            _readable(fd, limit)
        finally:
            os.close(fd)

    def __del__(self) -> None:
        if self._init_pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._init_pidfd)
            self._init_pidfd = None
        super().__del__()


def popen(
    argv: Sequence[str],
    *,
    workdir: Path,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    network: bool = False,
    readable: Sequence[Path] = (),
    stderr: int | IO[Any] | None = subprocess.PIPE,
) -> subprocess.Popen:
    """Start a long-lived worker (text-mode stdin/stdout pipes) in the same sandbox as ``run``.

    The caller owns it: read its output, enforce per-request timeouts and ``kill()`` it (the
    whole sandbox goes). ``limits.timeout`` is not enforced here; the CPU limit covers the
    worker's whole life. Read ``stderr`` (a pipe by default) or pass a file / DEVNULL.
    """
    launch = _prepare(argv, workdir, limits, env, network, readable)
    return launch.start(
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
    )
