"""What a caller hands the sandbox and gets back: ``SandboxRequest`` (with its ``Limits``),
``Result`` and the CI error.

Why a module of its own: these are the sandbox's public vocabulary; every other room reads them,
and they change only when the contract with callers changes, never with how isolation is done.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


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


@dataclass(frozen=True)
class SandboxRequest:
    """One process to start in the sandbox: what runs, where, with what, seeing what.

    Built once by ``run``/``popen`` (``of``) and handed as one value to every room that shapes
    the process (identity, environment, mounts, limits), instead of six loose parameters.
    """

    argv: tuple[str, ...]
    workdir: Path  # absolute, resolved, an existing folder: the only writable place
    limits: Limits = Limits()
    env: Mapping[str, str] = field(default_factory=dict)  # added to the clean environment
    network: bool = False  # share the host's network instead of an empty namespace
    readable: tuple[Path, ...] = ()  # extra paths shown read-only

    @classmethod
    def of(
        cls,
        argv: Sequence[str],
        workdir: Path,
        limits: Limits = Limits(),  # a frozen dataclass, immutable
        env: Mapping[str, str] | None = None,
        network: bool = False,
        readable: Sequence[Path] = (),
    ) -> SandboxRequest:
        """A checked request: a non-empty command and an existing ``workdir`` (resolved)."""
        if not argv:
            raise ValueError("sandbox: empty command")
        workdir = Path(workdir).resolve()
        if not workdir.is_dir():
            raise FileNotFoundError(f"sandbox: workdir {workdir} is not a directory")
        return cls(
            tuple(argv), workdir, limits, dict(env or {}), network, tuple(map(Path, readable))
        )
