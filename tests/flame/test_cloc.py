"""Counting with the real cloc (in the shared sandbox): directories, git's choice, git trees."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hooks.cache import Cache
from hooks.flame import FlameError, count, sources
from hooks.flame.count import FileCount, count_directory, count_git_tree, git_tree_id


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o755)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


FILES = {
    "main.py": "import os\n\n\ndef main():\n    return os.sep\n",  # 3 code lines
    "pkg/util.py": "# helper\nX = 1\nY = 2\n",  # 2 code lines
    "vendor/lib.py": "A = 1\n",  # 1 code line
}


def test_counts_a_directory_with_relative_paths(readable_tmp: Path) -> None:
    write(readable_tmp, FILES)
    records = count_directory(readable_tmp, vcs="none")
    assert sorted(records) == [
        FileCount("main.py", "Python", 3),
        FileCount("pkg/util.py", "Python", 2),
        FileCount("vendor/lib.py", "Python", 1),
    ]
    excluded = count_directory(readable_tmp, vcs="none", exclude_dirs=["vendor"])
    assert [r.path for r in sorted(excluded)] == ["main.py", "pkg/util.py"]


def test_git_counts_only_tracked_files(readable_tmp: Path) -> None:
    write(readable_tmp, FILES)
    git(readable_tmp, "init", "-q")
    git(readable_tmp, "add", "main.py", "pkg/util.py")
    write(readable_tmp, {"build/generated.py": "Z = 1\n" * 50})  # untracked build output
    records = count_directory(readable_tmp, vcs="auto")
    assert sorted(r.path for r in records) == ["main.py", "pkg/util.py"]
    everything = count_directory(readable_tmp, vcs="none")
    assert "build/generated.py" in {r.path for r in everything}


def test_git_choice_outside_a_work_tree(readable_tmp: Path) -> None:
    write(readable_tmp, FILES)
    with pytest.raises(FlameError, match="not inside a git work tree"):
        count_directory(readable_tmp, vcs="git", origin="src")


def test_directory_without_code(readable_tmp: Path) -> None:
    write(readable_tmp, {"notes.unknownext": "hello\n"})
    with pytest.raises(FlameError) as exc:
        count_directory(readable_tmp, vcs="none", origin="src")
    assert str(exc.value) == "src: cloc found no source code to count"


def test_git_tree_counts_the_commit_not_the_working_directory(
    readable_tmp: Path, tmp_path: Path
) -> None:
    write(readable_tmp, FILES)
    git(readable_tmp, "init", "-q")
    git(readable_tmp, "add", ".")
    git(readable_tmp, "commit", "-q", "-m", "one")
    write(readable_tmp, {"main.py": "A = 1\n" * 40, "scratch.py": "B = 2\n"})  # not committed
    tree = git_tree_id(readable_tmp)
    assert tree is not None
    records = count_git_tree(readable_tmp, tree)
    assert sorted(records) == [
        FileCount("main.py", "Python", 3),
        FileCount("pkg/util.py", "Python", 2),
        FileCount("vendor/lib.py", "Python", 1),
    ]
    skipped = count_git_tree(readable_tmp, tree, skip=["vendor"])
    assert sorted(r.path for r in skipped) == ["main.py", "pkg/util.py"]


def test_self_is_cached_by_the_git_tree(
    readable_tmp: Path, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(readable_tmp, FILES)
    git(readable_tmp, "init", "-q")
    git(readable_tmp, "add", ".")
    git(readable_tmp, "commit", "-q", "-m", "one")
    first, key = sources.count_self(cache, readable_tmp)
    assert sum(r.code for r in first) == 6

    def no_cloc(*args: object, **kwargs: object) -> None:
        raise AssertionError("cloc ran although the tree did not change")

    monkeypatch.setattr(count, "count_git_tree", no_cloc)
    again, same_key = sources.count_self(cache, readable_tmp)
    assert (again, same_key) == (first, key)
    write(readable_tmp, {"extra.py": "C = 3\n"})
    git(readable_tmp, "add", "extra.py")
    git(readable_tmp, "commit", "-q", "-m", "two")
    with pytest.raises(AssertionError, match="cloc ran"):
        sources.count_self(cache, readable_tmp)  # a new tree is counted again


def test_warm_self_count_starts_no_process(
    readable_tmp: Path, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a warm build runs neither `cloc --version` nor git (both were per build)."""
    write(readable_tmp, FILES)
    git(readable_tmp, "init", "-q")
    git(readable_tmp, "add", ".")
    git(readable_tmp, "commit", "-q", "-m", "one")
    first, key = sources.count_self(cache, readable_tmp)

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started on a warm build: {args[:1]}")

    monkeypatch.setattr(subprocess, "run", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)
    assert sources.count_self(cache, readable_tmp) == (first, key)
