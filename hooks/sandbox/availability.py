"""Is bubblewrap usable here? The probe, the one-line warning, and the rule that CI needs it.

Why a module of its own: deciding whether to isolate (and refusing to run unisolated under
``CI=true``) is policy, separate from how isolation is built; the probe runs once per process.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hooks.sandbox.identity import run_as_root
from hooks.sandbox.model import SandboxRequest, SandboxUnavailableError
from hooks.sandbox.process import PROBE_TIMEOUT, build_launch


def ci_requires_sandbox() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@functools.lru_cache(maxsize=1)
def _probe() -> str | None:
    """Run ``true`` once through the exact sandbox command line; None when it works, else why."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="control-loop-sandbox-probe-") as tmp:
        try:
            launch = build_launch(SandboxRequest.of(["true"], Path(tmp)), True)
            proc = launch.start(
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            output, _ = proc.communicate(timeout=PROBE_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return f"bubblewrap did not finish `true` within {PROBE_TIMEOUT:g} s"
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
        if run_as_root()
        else "limits and timeouts still apply"
    )
    return f"sandbox: {problem}; running code unsandboxed (no file or network isolation, {limits})"


def bwrap_enabled() -> bool:
    """True when bubblewrap works; without it False (warned elsewhere), or under CI an error."""
    problem = _probe()
    if problem is None:
        return True
    if ci_requires_sandbox():
        raise SandboxUnavailableError(
            f"sandbox required under CI=true but {problem}; "
            "install it with: sudo apt-get install bubblewrap"
        )
    return False
