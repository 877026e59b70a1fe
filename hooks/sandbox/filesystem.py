"""The file system a sandboxed process sees: which folders are hidden, which come back read-only.

Why a module of its own: the view (``$HOME``, the project's private folders and ``/run`` hidden,
the checkout, the interpreter and ``PATH`` bound back) is the part most likely to need a new
exception for a new machine; it is computed here as bwrap mount arguments and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from hooks import PROJECT_ROOT

#: The project's virtual environment; its ``bin`` leads ``PATH`` inside the sandbox.
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
#: Project folders a sandboxed process has no business reading (other results, history).
HIDDEN_PROJECT_DIRS = (".cache", ".git")


def _is_dir(path: Path) -> bool:
    """``Path.is_dir`` that says False for a folder this user may not look into."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _home() -> Path | None:
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):
        return None
    return None if home == Path("/") else home


def _python_prefixes() -> list[Path]:
    """Where the venv's interpreter really lives (a venv links to a base installation)."""
    prefixes = []
    python = VENV_BIN / "python"
    if _is_dir(python.parent):
        with contextlib.suppress(OSError, RuntimeError):
            prefixes.append(python.resolve(strict=True).parent.parent)
    prefixes += [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    return prefixes


def _hidden_project_dirs() -> list[Path]:
    return [PROJECT_ROOT / name for name in HIDDEN_PROJECT_DIRS if _is_dir(PROJECT_ROOT / name)]


class _Mounts:
    """bwrap mount arguments, in order; parents created inside a tmpfs stay traversable."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self._tmpfs: list[Path] = []
        self._made: set[Path] = set()

    def tmpfs(self, path: Path, perms: str = "0755") -> None:
        self._parents(path)
        self.argv += ["--perms", perms, "--tmpfs", str(path)]
        self._tmpfs.append(path)

    def bind(self, path: Path, *, writable: bool = False) -> None:
        self._parents(path)
        self.argv += ["--bind" if writable else "--ro-bind", str(path), str(path)]

    def _parents(self, path: Path) -> None:
        # bwrap creates missing mount points with mode 0700: a dropped uid could not pass them
        for parent in reversed(path.parents):
            inside = any(parent != t and _is_under(parent, t) for t in self._tmpfs)
            if inside and parent not in self._made:
                self.argv += ["--perms", "0755", "--dir", str(parent)]
                self._made.add(parent)


def _closed_ancestor(path: Path) -> Path | None:
    """The first folder above ``path`` that other users cannot pass (mode without o+x)."""
    for parent in reversed(path.parents):
        if parent == Path("/"):
            continue
        try:
            if not parent.stat().st_mode & 0o001:
                return parent
        except OSError:
            return None
    return None


def _minimal(paths: list[Path]) -> list[Path]:
    """Drop paths lying under another one of the list; keep order stable."""
    unique = list(dict.fromkeys(paths))
    return [p for p in unique if not any(q != p and _is_under(p, q) for q in unique)]


#: Kept visible under the hidden ``/run`` when the network is shared: systemd-resolved's
#: ``resolv.conf`` (``/etc/resolv.conf`` often links there).
RUN_KEPT_WITH_NETWORK = (Path("/run/systemd/resolve"),)


def mount_args(
    workdir: Path, readable: Sequence[Path], *, foreign_uid: bool, network: bool = False
) -> list[str]:
    """bwrap arguments: a private ``/tmp``, ``$HOME`` and the project's private folders hidden
    behind empty tmpfs, ``/run`` (service sockets) hidden, the writable ``workdir``.

    What code legitimately needs from under a hidden folder (the checkout, the Python
    installation, ``PATH`` entries, the caller's ``readable`` paths) is bound back read-only.
    With ``foreign_uid`` (root drops to a sandbox uid) a folder the sandbox uid could not pass
    on the way to a needed path (``/home/runner`` is 0750) is replaced the same way.
    """
    readable = [Path(p).resolve() for p in readable]
    needed = [PROJECT_ROOT, *_python_prefixes()]
    needed += [Path(e) for e in os.environ.get("PATH", "").split(os.pathsep) if os.path.isabs(e)]
    needed = [p for p in needed if _is_dir(p)]
    home = _home()
    masks = [home] if home is not None and _is_dir(home) else []
    if foreign_uid:
        for path in [*needed, *readable, workdir]:
            closed = _closed_ancestor(path)
            if closed is not None:
                masks.append(closed)
    private = [Path("/tmp")]
    if _is_dir(Path("/run")):
        # sockets a process could talk to despite the read-only view: Docker's (root on the
        # host for members of the docker group), D-Bus, the user's ssh and gpg agents
        private.append(Path("/run"))
    masks = [m for m in _minimal(masks) if not any(_is_under(m, p) for p in private)]
    hidden = private + masks
    # a checkout or interpreter under /tmp, /run or $HOME comes back read-only
    rebinds = _minimal([p for p in needed if any(_is_under(p, h) and p != h for h in hidden)])
    rebinds.sort(key=lambda p: len(p.parts))
    mounts = _Mounts()
    mounts.tmpfs(Path("/tmp"), perms="1777")
    for mask in hidden[1:]:
        mounts.tmpfs(mask)
    if network:
        for kept in RUN_KEPT_WITH_NETWORK:
            if _is_dir(kept):
                mounts.bind(kept)
    for path in rebinds:
        mounts.bind(path)
    for hidden in _hidden_project_dirs():
        mounts.tmpfs(hidden)
    for path in readable:
        if os.path.exists(path):  # nothing to show; bwrap would refuse to start
            mounts.bind(path)
    mounts.bind(workdir, writable=True)
    return mounts.argv
