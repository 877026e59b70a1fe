"""Starting one sandboxed process and knowing when everything it started is gone.

Why a module of its own: ``build_launch`` turns a command into a launch (handing ``workdir``
over first when root), and ``SandboxedProcess`` is the ``Popen`` whose signals reach the whole
sandbox and whose ``wait()`` returns only once bwrap's PID namespace is torn down. ``run``,
``popen`` and the availability probe all start their processes this way.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from hooks.sandbox.command import command_line, rlimit_setter, spawn_kwargs
from hooks.sandbox.identity import hand_over, run_as_root, sandbox_uid
from hooks.sandbox.model import SandboxRequest

PROBE_TIMEOUT = 15.0


def build_launch(request: SandboxRequest, use_bwrap: bool) -> Launch:
    """The command line and Popen arguments for one sandboxed process."""
    uid = None
    if use_bwrap and run_as_root():
        uid = sandbox_uid(request.workdir)
        hand_over(request.workdir, uid)
    command = command_line(request, use_bwrap=use_bwrap, uid=uid)
    kwargs = spawn_kwargs(request, use_bwrap=use_bwrap)
    kwargs["start_new_session"] = True
    if not shutil.which("prlimit"):
        kwargs["preexec_fn"] = rlimit_setter(request.limits)
    launch = Launch(command, kwargs)
    if use_bwrap:
        # bwrap reports the PID namespace's init: killing the sandbox waits for it to be gone
        launch.info_read, launch.info_write = os.pipe()
        command[1:1] = ["--info-fd", str(launch.info_write)]
        kwargs["pass_fds"] = (launch.info_write,)
    return launch


@dataclass
class Launch:
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
            while _readable(info_fd, PROBE_TIMEOUT):
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
