"""What a runner may use while a session runs: its folder, its shell state, its Python worker.

Every execution goes through ``hooks.sandbox`` (bubblewrap, rlimits, timeout, output cap); this
module only decides *what* to run and keeps the state that must outlive one run.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
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
        self._sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self._sel.register(self.proc.stdout, selectors.EVENT_READ)

    def request(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request; the reply, or WorkerDied after ``timeout`` seconds or a crash."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(f"the Python worker is gone ({exc})") from None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._sel.select(left):
                self.close()
                raise WorkerDied(f'timed out after {timeout:g} s (timeout="{timeout:g}")')
            line = self.proc.stdout.readline()
            if not line:
                self.close()
                err = self._stderr_tail()
                raise WorkerDied(
                    f"the Python worker exited (status {self.proc.returncode})"
                    + (f": {err}" if err else "")
                )
            with contextlib.suppress(ValueError):
                return dict(json.loads(line))

    def _stderr_tail(self) -> str:
        if self.proc.stderr is None:
            return ""
        try:
            return self.proc.stderr.read()[-2000:].strip()
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        """Kill the worker and its process group (the caller owns it, says the sandbox API)."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self._sel.close()
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
        them (``ln -s /elsewhere out``, ``ln -s .../hooks/zoom.py z``): the path is walked
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
