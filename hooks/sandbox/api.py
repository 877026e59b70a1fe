"""The two ways to run code in the sandbox: ``run`` (one command, supervised) and ``popen``
(a long-lived worker the caller owns).

Why a module of its own: callers depend on these signatures only; checking the arguments and
choosing bwrap or the fallback happens here, the rest is delegated to the other rooms.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from hooks.sandbox.availability import bwrap_enabled
from hooks.sandbox.model import Limits, Result, SandboxRequest
from hooks.sandbox.process import Launch, build_launch
from hooks.sandbox.supervise import supervise


def _prepare(request: SandboxRequest) -> Launch:
    return build_launch(request, bwrap_enabled())


def run(
    argv: Sequence[str],
    *,
    workdir: Path,
    stdin: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - a frozen dataclass, immutable
    env: Mapping[str, str] | None = None,
    network: bool = False,
    readable: Sequence[Path] = (),
) -> Result:
    """Run ``argv`` in the sandbox with ``workdir`` as its writable current directory.

    Never raises for the command's own failure: a non-zero exit, a timeout (``returncode`` None,
    ``timed_out`` True) or a cut output are all in the ``Result``. Raises ``FileNotFoundError``
    for a missing workdir and ``SandboxUnavailableError`` under ``CI=true`` without bubblewrap.
    """
    launch = _prepare(SandboxRequest.of(argv, workdir, limits, env, network, readable))
    start = time.monotonic()
    proc = launch.start(
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        returncode, timed_out, outputs = supervise(proc, stdin, limits)
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


def popen(
    argv: Sequence[str],
    *,
    workdir: Path,
    limits: Limits = Limits(),  # noqa: B008 - a frozen dataclass, immutable
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
    launch = _prepare(SandboxRequest.of(argv, workdir, limits, env, network, readable))
    return launch.start(
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
    )
