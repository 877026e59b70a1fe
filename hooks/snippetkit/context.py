"""What a runner may use while a session runs: its folder, its shell state, its Python worker.

Every execution goes through ``hooks.sandbox`` (bubblewrap, rlimits, timeout, output cap); this
module only decides *what* to run and keeps the state that must outlive one run.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hooks.snippetkit.shellstate import ShellState

WORKER = Path(__file__).with_name("worker.py")
#: The most the host reads of one reply. The worker cuts a block's output at
#: ``worker.OUTPUT_CAP`` per stream, so only a block writing to the reply pipe itself gets here.
MAX_REPLY_BYTES = 16 << 20
_STRINGS = ("error", "stdout", "stderr")
_EXAMPLE = {"lineno": int, "source": str, "want": str, "got": str, "ok": bool}


def _reply(line: bytes, op: object) -> dict[str, Any] | None:
    """The reply in ``line`` when it has the worker's shape (what the runners read), else None."""
    try:
        value = json.loads(line.decode("utf-8", "replace"))
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested a million deep
        return None
    if not isinstance(value, dict) or not isinstance(value.get("ok"), bool):
        return None
    if not all(isinstance(value.get(k), str) for k in _STRINGS):
        return None
    if op == "pycon":
        examples = value.get("examples")
        if not isinstance(examples, list) or not all(
            isinstance(ex, dict) and all(isinstance(ex.get(k), t) for k, t in _EXAMPLE.items())
            for ex in examples
        ):
            return None
    return value


def _sandbox() -> Any:
    from hooks import sandbox

    return sandbox


@dataclass
class ShellRun:
    returncode: int | None
    output: str
    stderr: str
    timed_out: bool
    truncated: bool


class UnsafeFileWrite(Exception):
    """A ``file=`` path the host refuses to write (a link, a non-regular file, outside)."""


class WorkerDied(Exception):
    """The session's Python worker timed out or crashed; its namespace is gone."""


class PythonWorker:
    """One sandboxed interpreter per Python session, kept alive across its blocks.

    A new interpreter costs tens of milliseconds; a round trip to a live one costs well under
    one, which is what keeps a session of many small blocks cheap.
    """

    def __init__(
        self,
        workdir: Path,
        *,
        lifetime: float,
        network: bool,
        readable: Sequence[Path] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        sandbox = _sandbox()
        self.proc: subprocess.Popen[str] = sandbox.popen(
            [sys.executable, "-I", "-u", str(WORKER)],
            workdir=workdir,
            limits=sandbox.Limits(timeout=lifetime),
            env={**(env or {}), "PYTHONDONTWRITEBYTECODE": "1"},
            network=network,
            readable=readable,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        # the raw pipes, never blocking: the text wrappers Popen made are not used
        os.set_blocking(self.proc.stdin.fileno(), False)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self._buffer = bytearray()

    def request(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request; the reply, or WorkerDied after ``timeout`` seconds or a crash.

        The worker is the block's own process, so it may write anything to the reply pipe:
        half a line and then sleep, or hundreds of megabytes. The request is written and the
        reply read without ever blocking (one ``poll`` loop on the raw pipes), against one
        deadline, and at most ``MAX_REPLY_BYTES`` are kept; a reply must have the worker's shape.
        """
        assert self.proc.stdin is not None and self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        pending = memoryview((json.dumps(req) + "\n").encode())
        out_fd, in_fd = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0 and not pending:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                reply = _reply(line, req.get("op"))
                if reply is not None:
                    return reply
                continue  # not a reply (a stray line): keep reading, within the deadline
            if len(self._buffer) > MAX_REPLY_BYTES:
                self.close()
                raise WorkerDied(
                    f"the Python worker's reply exceeded {MAX_REPLY_BYTES >> 20} MiB "
                    "and was cut (print less, or write large output to a file)"
                )
            left = deadline - time.monotonic()
            poller = select.poll()
            poller.register(in_fd, select.POLLIN)
            if pending:
                poller.register(out_fd, select.POLLOUT)
            events = poller.poll(max(left, 0) * 1000) if left > 0 else []
            if not events:
                self.close()
                raise WorkerDied(f'timed out after {timeout:g} s (timeout="{timeout:g}")')
            for fd, event in events:
                if fd == out_fd:
                    pending = self._send(out_fd, pending, event)
                elif not self._receive(in_fd):
                    self.close()
                    err = self._stderr_tail()
                    raise WorkerDied(
                        f"the Python worker exited (status {self.proc.returncode})"
                        + (f": {err}" if err else "")
                    )

    def _send(self, fd: int, pending: memoryview, event: int) -> memoryview:
        if event & (select.POLLERR | select.POLLHUP):
            self.close()
            raise WorkerDied("the Python worker is gone (its request pipe closed)")
        try:
            return pending[os.write(fd, pending[: 1 << 16]) :]
        except BlockingIOError:
            return pending
        except OSError as exc:
            self.close()
            raise WorkerDied(f"the Python worker is gone ({exc})") from None

    def _receive(self, fd: int) -> bool:
        """Read what is there into the buffer; False at end of file."""
        try:
            chunk = os.read(fd, min(1 << 20, MAX_REPLY_BYTES + 1 - len(self._buffer)) or 1)
        except BlockingIOError:
            return True
        except OSError:
            return False
        self._buffer += chunk
        return bool(chunk)

    def _stderr_tail(self) -> str:
        """The end of what the worker left on stderr: at most one pipe's worth, never waiting."""
        if self.proc.stderr is None:
            return ""
        try:
            fd = self.proc.stderr.fileno()
            os.set_blocking(fd, False)
            data = os.read(fd, 1 << 16)
        except (OSError, ValueError):
            return ""
        return data.decode("utf-8", "replace")[-2000:].strip()

    def close(self) -> None:
        """Kill the worker and its process group (the caller owns it, says the sandbox API)."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream:
                    stream.close()


@dataclass
class SessionContext:
    """The mutable state of one running session, handed to each runner in page order."""

    workdir: Path
    network: bool = False
    lifetime: float = 60.0
    #: extra paths the sandbox shows read-only (the Docker socket for requires="docker")
    readable: Sequence[Path] = ()
    #: extra environment for every run of the session (``DOCKER_HOST`` with the socket)
    env: Mapping[str, str] = field(default_factory=dict)
    shell: ShellState = field(default_factory=ShellState)
    _python: PythonWorker | None = None

    def python(self) -> PythonWorker:
        if self._python is None:
            self._python = PythonWorker(
                self.workdir,
                lifetime=self.lifetime,
                network=self.network,
                readable=self.readable,
                env=self.env,
            )
        return self._python

    def run_shell(self, code: str, *, timeout: float, merge_stderr: bool) -> ShellRun:
        """Run bash code with the session's shell state; the state is updated afterwards."""
        sandbox = _sandbox()
        result = sandbox.run(
            ["bash", "-c", self.shell.wrap(code, merge_stderr=merge_stderr)],
            workdir=self.workdir,
            limits=sandbox.Limits(timeout=timeout),
            env=self.env,
            network=self.network,
            readable=self.readable,
        )
        output = self.shell.take(result.stdout)
        return ShellRun(
            result.returncode, output, result.stderr, result.timed_out, result.truncated
        )

    def write_file(self, relpath: str, text: str) -> None:
        """Write a ``file=`` block into the session folder, owned like the folder itself.

        Earlier blocks of the session ran there, so any name may already be a link planted by
        them (``ln -s /elsewhere out``, ``ln -s .../hooks/seo.py z``): the path is walked
        without following links (``hooks.safefiles``), and a link, a FIFO or a name outside
        the folder raises ``UnsafeFileWrite`` instead. A sandbox started by root runs as an
        unprivileged uid that owns the folder; a file or folder we create belongs to it too, or
        a running Python worker could not write there.
        """
        from hooks.safefiles import UnsafeFileError, write_beneath

        owner = self.workdir.stat()
        hand_to = (owner.st_uid, owner.st_gid) if os.geteuid() == 0 and owner.st_uid != 0 else None
        try:
            write_beneath(self.workdir, relpath, text.encode("utf-8"), owner=hand_to)
        except UnsafeFileError as exc:
            raise UnsafeFileWrite(f'file="{relpath}" not written: {exc}') from None

    def close(self) -> None:
        if self._python is not None:
            self._python.close()
            self._python = None
