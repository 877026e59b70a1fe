"""The commit a checkout's HEAD names, read from ``.git`` files instead of running git.

A warm build must not start processes it does not need; ``git rev-parse HEAD`` is one. HEAD is
a text file naming a branch (``ref: refs/heads/main``) or a commit; the branch is a loose file
under ``refs/`` or a line of ``packed-refs``. Linked work trees (``.git`` is a file saying
``gitdir: ...``) keep HEAD in their own directory and refs in the common one. Anything else
(a missing ref, a symbolic ref chain, reftable) answers None and the caller falls back to git.
"""

from __future__ import annotations

import re
from pathlib import Path

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


def _git_dirs(repo: Path) -> tuple[Path, Path] | None:
    """(this work tree's git directory, the common git directory), or None."""
    dot_git = repo / ".git"
    if dot_git.is_dir():
        return dot_git, dot_git
    try:
        text = dot_git.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    git_dir = (repo / text[len("gitdir:") :].strip()).resolve()
    try:
        common = (git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        common = git_dir
    return git_dir, common


def head_commit(repo: Path) -> str | None:
    """The commit id HEAD points at (full hex), or None when it cannot be read from files."""
    dirs = _git_dirs(repo)
    if dirs is None:
        return None
    git_dir, common = dirs
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if _OBJECT_ID.match(head):
        return head  # a detached HEAD names the commit itself
    if not head.startswith("ref: refs/"):
        return None
    ref = head[len("ref: ") :]
    try:
        value = (common / ref).read_text(encoding="utf-8").strip()
        return value if _OBJECT_ID.match(value) else None
    except OSError:
        pass
    try:
        packed = (common / "packed-refs").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in packed.splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[1] == ref and _OBJECT_ID.match(parts[0]):
            return parts[0]
    return None
