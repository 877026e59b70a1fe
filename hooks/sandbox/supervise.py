"""Watching a one-shot run: feed stdin, drain and cap both outputs, enforce the wall clock.

Why a module of its own: the ``select`` loop is the subtle part of ``run`` (no reader threads, no
polling, escaped processes holding pipes open); it changes for reasons of its own and is kept
apart from what the sandbox looks like.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import time

from hooks.sandbox.model import Limits
from hooks.sandbox.process import SandboxedProcess

_READ_CHUNK = 1 << 16
#: After the command exits, how long pipes held open by escaped processes are still read.
_DRAIN_SECONDS = 5.0


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


def supervise(
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
