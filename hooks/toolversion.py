"""A tool's version string without running the tool on every build.

Cache keys must change when a tool does (another cloc may count differently, another Graphviz
may draw differently), but asking ``tool --version`` costs a process start each build, and for
a Perl script such as cloc that is most of a warm build's time. A tool only changes when its
file does, so the answer is cached under the executable's resolved path, size and modification
time (nanoseconds): replacing or upgrading the tool changes at least one of them, and the next
build asks again. Shared by every capability through the one cache (namespace ``tools``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from hooks.cache import Cache, digest, file_stamp


def tool_version(
    executable: str | os.PathLike[str],
    args: Sequence[str] = ("--version",),
    *,
    cache: Cache | None = None,
    timeout: float = 60.0,
) -> str:
    """``executable args...``'s first non-empty output (stdout, else stderr), or ``"unknown"``.

    Runs the tool only when no answer is cached for this very file; a tool that cannot be run
    answers ``"unknown"`` (and is asked again next time, in case it is being installed).
    """
    path = Path(executable).resolve()
    try:
        key = digest("tool-version", file_stamp(path), *args)
    except OSError:
        return "unknown"
    cache = cache or Cache("tools")
    cached = cache.get_json(key)
    if isinstance(cached, str) and cached:
        return cached
    try:
        proc = subprocess.run(
            [str(path), *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    version = (proc.stdout.strip() or proc.stderr.strip()).split("\n", 1)[0].strip()
    if proc.returncode != 0 or not version:
        return "unknown"
    cache.put_json(key, version)
    return version
