"""The command line of one sandboxed process: environment, bwrap arguments, resource limits.

Why a module of its own: nothing here starts or changes anything (a ``SandboxRequest`` and the
caller's ``PATH`` in, argv or Popen arguments out), so what a sandboxed process is started with
can be read, tested and changed in one place.
"""

from __future__ import annotations

import os
import resource
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hooks.sandbox.filesystem import VENV_BIN, mount_args
from hooks.sandbox.model import Limits, SandboxRequest


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


def _bwrap_argv(request: SandboxRequest, env: Mapping[str, str], uid: int | None) -> list[str]:
    argv = ["bwrap"]
    argv += mount_args(request.workdir, request.readable, network=request.network)
    if uid is None:
        # unprivileged caller: a user namespace (the limits then count per namespace)
        argv += ["--unshare-all"]
    else:
        # root: no user namespace (it would map back to uid 0); drop to ``uid`` inside instead
        argv += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        argv += ["--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    if request.network:
        if uid is None:
            argv += ["--share-net"]
        else:
            argv.remove("--unshare-net")
    argv += ["--die-with-parent", "--new-session", "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    argv += ["--chdir", str(request.workdir), "--"]
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


def command_line(request: SandboxRequest, *, use_bwrap: bool, uid: int | None = None) -> list[str]:
    full_env = _environment(request.workdir, request.env)
    prefix: list[str] = []
    if use_bwrap:
        prefix = _bwrap_argv(request, full_env, uid)
    if shutil.which("prlimit"):
        prefix += _limit_argv(request.limits)
    return [*prefix, *request.argv]


def rlimit_setter(limits: Limits) -> Callable[[], None]:
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


def spawn_kwargs(request: SandboxRequest, *, use_bwrap: bool) -> dict[str, Any]:
    """Popen arguments: environment and cwd for the plain fallback, none needed for bwrap."""
    env = _environment(request.workdir, request.env)
    kwargs: dict[str, Any] = {"env": env, "cwd": str(request.workdir)}
    if use_bwrap:
        # bwrap itself starts from a clean environment too (it clears it for the child anyway)
        kwargs["env"] = {"PATH": kwargs["env"]["PATH"], "LANG": "C.UTF-8"}
    return kwargs
