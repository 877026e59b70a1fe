"""Detection of a working bubblewrap, the fallback and the CI rule."""

from __future__ import annotations

import os
import shutil

import pytest

from hooks import sandbox
from hooks.sandbox import Limits


@pytest.fixture
def no_bwrap(monkeypatch):
    """Pretend bubblewrap is not installed (the probe's cached answer is reset around the test)."""
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "bwrap" else real_which(name)
    )
    sandbox._probe.cache_clear()
    yield
    monkeypatch.undo()
    sandbox._probe.cache_clear()


def test_status_none_when_bwrap_works(bwrap):
    assert sandbox.sandbox_status() is None


def test_missing_bwrap_is_a_one_line_warning(no_bwrap, monkeypatch, workdir):
    monkeypatch.delenv("CI", raising=False)
    status = sandbox.sandbox_status()
    assert status is not None and "\n" not in status
    assert status.startswith("sandbox: bubblewrap (bwrap) is not installed")
    # the fallback still applies the environment, limits, timeout and cap
    monkeypatch.setenv("CONTROL_LOOP_TEST_SECRET", "hunter2")
    result = sandbox.run(
        ["sh", "-c", 'echo "[$CONTROL_LOOP_TEST_SECRET] $HOME"; yes | head -c 5000; sleep 5'],
        workdir=workdir,
        limits=Limits(timeout=1, output_bytes=1000),
    )
    assert result.stdout.startswith(f"[] {workdir.resolve()}\n")
    assert result.timed_out and result.truncated
    assert result.stdout.endswith("[output truncated at 1000 bytes]\n")


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_bwrap_under_ci_is_an_error(no_bwrap, monkeypatch, workdir, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(sandbox.SandboxUnavailableError, match="sandbox required under CI=true"):
        sandbox.run(["true"], workdir=workdir)
    with pytest.raises(sandbox.SandboxUnavailableError, match="apt-get install bubblewrap"):
        sandbox.popen(["true"], workdir=workdir)


def test_missing_workdir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a directory"):
        sandbox.run(["true"], workdir=tmp_path / "nope")


def test_cpu_seconds_default_follows_timeout():
    assert Limits(timeout=30).effective_cpu_seconds == 31
    assert Limits(timeout=2.5).effective_cpu_seconds == 4
    assert Limits(timeout=30, cpu_seconds=5).effective_cpu_seconds == 5


@pytest.mark.parametrize("prlimit", [True, False], ids=["prlimit", "preexec"])
def test_limits_seen_by_the_sandboxed_process(monkeypatch, workdir, prlimit):
    """Set by prlimit inside the sandbox or, without util-linux's prlimit, before exec."""
    real_which = shutil.which
    if not prlimit:
        monkeypatch.setattr(
            shutil,
            "which",
            lambda name, *a, **k: None if name == "prlimit" else real_which(name, *a, **k),
        )
    result = sandbox.run(
        [
            str(sandbox.VENV_BIN / "python"),
            "-c",
            "import resource\n"
            "print(resource.getrlimit(resource.RLIMIT_NOFILE), "
            "resource.getrlimit(resource.RLIMIT_FSIZE), resource.getrlimit(resource.RLIMIT_AS))",
        ],
        workdir=workdir,
        limits=Limits(open_files=33, file_size_bytes=1 << 20, memory_bytes=512 << 20),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"(33, 33) ({1 << 20}, {1 << 20}) ({512 << 20}, {512 << 20})\n"


def test_broken_bwrap_is_detected_once(monkeypatch, tmp_path):
    """bwrap present but failing (say, user namespaces forbidden): the probe says why."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bwrap").write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
    )
    (fake / "bwrap").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.delenv("CI", raising=False)
    sandbox._probe.cache_clear()
    try:
        status = sandbox.sandbox_status()
        assert status is not None
        assert status.startswith(
            "sandbox: bubblewrap does not work here (bwrap: No permissions to create new "
            "namespace); running code unsandboxed (no file or network isolation, limits "
        )
        monkeypatch.setenv("CI", "true")
        with pytest.raises(sandbox.SandboxUnavailableError, match="No permissions"):
            sandbox.run(["true"], workdir=tmp_path)
    finally:
        monkeypatch.undo()
        sandbox._probe.cache_clear()
