"""Fixtures for the sandbox tests: a fresh working directory and the "needs bubblewrap" gate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks import sandbox


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def bwrap() -> None:
    """Properties only bubblewrap provides: skipped (with the reason) only outside CI."""
    status = sandbox.sandbox_status()
    if status is None:
        return
    if sandbox.ci_requires_sandbox():
        pytest.fail(f"CI must run the sandbox tests with bubblewrap: {status}")
    pytest.skip(f"bubblewrap unavailable here and CI is not set: {status}")


@pytest.fixture
def nproc_enforced(bwrap_or_user: None) -> None:
    """RLIMIT_NPROC binds: the kernel never applies it to uid 0, so root needs bubblewrap (which
    runs the code under a sandbox uid)."""


@pytest.fixture
def bwrap_or_user() -> None:
    if os.geteuid() != 0 or sandbox.sandbox_status() is None:
        return
    if sandbox.ci_requires_sandbox():
        pytest.fail(f"CI must run the sandbox tests with bubblewrap: {sandbox.sandbox_status()}")
    pytest.skip("running as root without bubblewrap: the kernel ignores RLIMIT_NPROC for uid 0")


def _processes_with(marker: str) -> list[str]:
    """Command lines of live processes (seen from outside any sandbox) containing ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(cmdline)
    return found


@pytest.fixture
def processes_with():
    """``processes_with(marker)``: live processes whose command line contains ``marker``."""
    return _processes_with
