"""Tool versions and HEAD commits without processes on a warm build (issue 17)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hooks.cache import Cache
from hooks.gitrefs import head_commit
from hooks.toolversion import tool_version


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cache:
    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(tmp_path / "cache"))
    return Cache("tools")


def fake_tool(path: Path, version: str) -> Path:
    path.write_text(f"#!/bin/sh\necho {version}\necho run >> {path}.runs\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def runs(tool: Path) -> int:
    log = Path(f"{tool}.runs")
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def test_version_is_asked_once_per_tool_file(tmp_path: Path, cache: Cache) -> None:
    tool = fake_tool(tmp_path / "cloc", "1.96")
    assert tool_version(tool, cache=cache) == "1.96"
    assert tool_version(tool, cache=cache) == "1.96"
    assert runs(tool) == 1  # the second answer came from the cache


def test_a_replaced_tool_is_asked_again(tmp_path: Path, cache: Cache) -> None:
    tool = fake_tool(tmp_path / "cloc", "1.96")
    assert tool_version(tool, cache=cache) == "1.96"
    fake_tool(tool, "2.10")  # same path, new content (size differs)
    assert tool_version(tool, cache=cache) == "2.10"
    stat = tool.stat()
    fake_tool(tool, "2.11")  # same size, new mtime
    os.utime(tool, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert tool_version(tool, cache=cache) == "2.11"
    assert runs(tool) == 3


def test_a_tool_that_fails_is_unknown_and_not_cached(tmp_path: Path, cache: Cache) -> None:
    tool = tmp_path / "broken"
    tool.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    tool.chmod(0o755)
    assert tool_version(tool, cache=cache) == "unknown"
    assert tool_version(tmp_path / "missing", cache=cache) == "unknown"
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_head_commit_matches_git_for_branches_packed_refs_detached_and_worktrees(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.txt").write_text("a\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    assert head_commit(repo) == git(repo, "rev-parse", "HEAD")  # loose ref
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert head_commit(repo) == git(repo, "rev-parse", "HEAD")  # packed-refs
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "wt"))
    (tmp_path / "wt" / "b.txt").write_text("b\n", encoding="utf-8")
    git(tmp_path / "wt", "add", ".")
    git(tmp_path / "wt", "commit", "-q", "-m", "two")
    assert head_commit(tmp_path / "wt") == git(tmp_path / "wt", "rev-parse", "HEAD")
    assert head_commit(tmp_path / "wt") != head_commit(repo)
    git(repo, "checkout", "-q", "--detach")
    assert head_commit(repo) == git(repo, "rev-parse", "HEAD")  # detached
    assert head_commit(tmp_path / "nothing") is None
