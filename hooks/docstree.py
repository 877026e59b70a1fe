"""``docs/`` and ``diagrams_src/`` hold committed files only: no links out, no FIFOs or devices.

Both folders arrive in pull requests, and MkDocs trusts them: it walks ``docs/`` following
links (``os.walk(followlinks=True)``) and copies every file it finds into the site, so a
committed ``docs/assets/build-env.txt -> /proc/self/environ`` published the build's environment,
and a FIFO would hang the build on its first read. So, before anything reads either tree:

* ``problems`` walks it without following links (``lstat``) and names every entry that is a
  link pointing outside the tree (or nowhere), a link to a directory (MkDocs would walk into
  it), or not a regular file (FIFO, socket, device): each a ``SourceError`` at ``path:1``;
* ``unsafe_walk`` says whether MkDocs' own walk must not start (a directory link: it could lead
  anywhere, ``/`` included), so the build stops at ``on_config``;
* ``drop_unsafe`` removes from MkDocs' ``Files`` every file whose source is such an entry or is
  reached through a link, so nothing outside ``docs/`` is ever read or copied, even under
  ``mkdocs serve``, which keeps serving the rest.

A link between two files inside the same tree is allowed (MkDocs copies the file it names).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from hooks.errors import SourceError
from hooks.reporting import BuildFailed, BuildReport

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
COMMIT_IT = "commit the file itself"


@dataclass(frozen=True)
class Problem:
    """One unsafe entry; ``walks`` when MkDocs' link-following walk would descend into it."""

    error: SourceError
    walks: bool = False


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # dangling, or a loop of links
        return False


def _check_entry(path: Path, root: Path, label: str) -> Problem | None:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None  # vanished while walking
    if stat.S_ISLNK(mode):
        if path.is_dir():
            msg = f"a link to a directory ({label} must hold its files, not a link to them)"
            return Problem(SourceError(path, 1, msg, "commit the files themselves"), walks=True)
        if not _inside(path, root):
            msg = f"a link pointing outside {label} (links out of it are never followed)"
            return Problem(SourceError(path, 1, msg, COMMIT_IT))
        return None
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    msg = f"{kind}, not a regular file: the build reads only regular files"
    return Problem(SourceError(path, 1, msg, "remove it and " + COMMIT_IT))


def problems(root: Path, label: str) -> list[Problem]:
    """Every unsafe entry under ``root`` (``label`` names it in messages: ``docs/``)."""
    if not root.is_dir():
        return []
    top = root.resolve()
    found: list[Problem] = []
    for folder, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(folder)
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            problem = _check_entry(here / name, top, label)
            if problem is not None:
                found.append(problem)
    return found


#: Files plugins read before ``on_files`` (Material's blog reads its authors in ``on_config``).
READ_EARLY = frozenset({".authors.yml"})


def unsafe_walk(found: list[Problem]) -> bool:
    """True when the build cannot go on even under ``serve``: MkDocs' link-following walk of
    ``docs/`` must not start, or a plugin would read the entry before ``drop_unsafe`` runs."""
    return any(p.walks or Path(p.error.path).name in READ_EARLY for p in found)


def _reached_safely(path: Path, base: Path, root: Path) -> bool:
    """``path`` (under ``base``, which resolves to ``root``) is a regular file inside ``root``,
    reached without a link out of it."""
    try:
        rel = path.relative_to(base)
    except ValueError:
        return True  # not from this tree (a theme file)
    current = base
    for part in rel.parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode) and (current.is_dir() or not _inside(current, root)):
            return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode) and _inside(path, root)
    except OSError:
        return False


def drop_unsafe(files: Files, docs_dir: str) -> Files:
    """``files`` without any whose source is a link out of ``docs_dir`` or not a regular file."""
    base = Path(docs_dir).absolute()
    root = base.resolve()
    for file in list(files):
        if file.generated_by or not file.abs_src_path:
            continue
        if not _reached_safely(Path(file.abs_src_path), base, root):
            files.remove(file)
    return files


def check_trees(config: Any, sources: Path, report: BuildReport) -> None:
    """Report every unsafe entry of ``docs/`` and ``diagrams_src/``; raise ``BuildFailed`` when
    the build must stop here (always for ``mkdocs build``; for ``serve`` only when MkDocs' own
    walk would follow a directory link: the rest is left out by ``drop_unsafe``)."""
    found = problems(Path(config.docs_dir), "docs/") + problems(sources, "diagrams_src/")
    for problem in found:
        report.error(problem.error)
    if found and (not report.serving or unsafe_walk(found)):
        n = len(found)
        raise BuildFailed(
            f"{n} unsafe file{'s' if n != 1 else ''} under docs/ or diagrams_src/ (listed above); "
            "build stopped before reading them"
        )
