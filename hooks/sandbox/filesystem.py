"""The file system a sandboxed process sees: nothing, plus what tools need, read-only.

Why a module of its own: the view is the part most likely to need a new entry for a new
machine or tool; it is computed here as bwrap mount arguments and nothing else.

Deny by default: the sandbox's ``/`` is an empty tmpfs, and only these are bound into it:

- the system's programs and libraries, read-only: ``/usr``, ``/etc`` and ``/bin``, ``/sbin``,
  ``/lib*`` (as the links to ``usr/`` a merged-usr system has, or bound where they are real
  folders), plus fontconfig's cache (Graphviz lays out text with it);
- the checkout read-only, with its ``.git``, ``.cache`` and ``site`` replaced by empty folders;
- the real Python installation behind the venv, and the folders on ``PATH`` named ``bin`` or
  ``sbin`` (``/usr/local/bin``, ``~/.cargo/bin``), read-only;
- the caller's ``readable`` paths read-only, and ``workdir`` writable;
- private, empty ``/tmp`` and ``/dev/shm``, a minimal ``/dev`` and the sandbox's own ``/proc``;
  with the network shared, systemd-resolved's folder under ``/run`` (``resolv.conf``).

Everything else (``/home``, ``/root``, ``/run`` and its service sockets, ``/srv``, ``/opt``,
``/var`` and ``/var/tmp``, ``/mnt``, ``/sys``, other repositories next to the checkout) does not
exist inside. Folders created on the way to a bound path are mode 0755, so a sandbox uid of
root's can pass them whatever the host's modes are (``/root`` is 0700, ``/home/runner`` 0750).
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
#: Checkout folders replaced by empty ones: history and config, other results, the built site.
HIDDEN_PROJECT_DIRS = (".cache", ".git", "site")
#: System folders bound read-only (or recreated as the links they are on merged-usr systems).
SYSTEM_DIRS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: Read-only extras some tools need to be fast: fontconfig's cache (else every Graphviz run
#: scans every font again).
SYSTEM_EXTRAS = ("/var/cache/fontconfig",)
#: Kept visible under ``/run`` when the network is shared: systemd-resolved's ``resolv.conf``
#: (``/etc/resolv.conf`` often links there).
RUN_KEPT_WITH_NETWORK = (Path("/run/systemd/resolve"),)
#: ``PATH`` folders with these names are bound (tools live there, never anyone's files).
PATH_DIR_NAMES = frozenset({"bin", "sbin"})


def _is_dir(path: Path) -> bool:
    """``Path.is_dir`` that says False for a folder this user may not look into."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _python_prefixes() -> list[Path]:
    """Where the venv's interpreter really lives (a venv links to a base installation)."""
    prefixes = []
    python = VENV_BIN / "python"
    if _is_dir(python.parent):
        with contextlib.suppress(OSError, RuntimeError):
            prefixes.append(python.resolve(strict=True).parent.parent)
    prefixes += [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    return prefixes


def _path_dirs() -> list[Path]:
    """Folders on the caller's ``PATH`` that hold tools (named ``bin``/``sbin``), resolved."""
    found = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if os.path.isabs(entry) and Path(entry).name in PATH_DIR_NAMES:
            with contextlib.suppress(OSError, RuntimeError):
                found.append(Path(entry).resolve(strict=True))
    return found


def _minimal(paths: list[Path]) -> list[Path]:
    """Drop paths lying under another one of the list; keep order stable."""
    unique = list(dict.fromkeys(paths))
    return [p for p in unique if not any(q != p and _is_under(p, q) for q in unique)]


class _Mounts:
    """bwrap mount arguments, in order, over an empty root.

    Remembers which mount each path lies on (the last one covering it wins), so a folder on
    the way to a bound path is created (``--dir``, mode 0755) exactly when it would otherwise
    be made by bwrap inside a tmpfs with mode 0700.
    """

    def __init__(self) -> None:
        self.argv: list[str] = []
        self._mounts: list[tuple[Path, bool]] = [(Path("/"), True)]  # (path, is a tmpfs)
        self._made: set[Path] = set()

    def tmpfs(self, path: Path, perms: str = "0755") -> None:
        self._parents(path)
        self.argv += ["--perms", perms, "--tmpfs", str(path)]
        self._mounts.append((path, True))

    def bind(self, path: Path, *, writable: bool = False) -> None:
        self._parents(path)
        self.argv += ["--bind" if writable else "--ro-bind", str(path), str(path)]
        self._mounts.append((path, False))

    def special(self, kind: str, path: Path) -> None:
        """``--dev`` or ``--proc``: a file system of bwrap's own at ``path``."""
        self.argv += [kind, str(path)]
        self._mounts.append((path, False))

    def symlink(self, target: str, path: Path) -> None:
        self.argv += ["--symlink", target, str(path)]

    def _on_tmpfs(self, path: Path) -> bool:
        for mount, is_tmpfs in reversed(self._mounts):
            if _is_under(path, mount):
                return is_tmpfs and path != mount
        return False

    def _parents(self, path: Path) -> None:
        for parent in reversed(path.parents):
            if parent not in self._made and self._on_tmpfs(parent):
                self.argv += ["--perms", "0755", "--dir", str(parent)]
                self._made.add(parent)


def _system(mounts: _Mounts) -> None:
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            mounts.symlink(os.readlink(path), path)
        elif _is_dir(path):
            mounts.bind(path)
    for name in SYSTEM_EXTRAS:
        if _is_dir(Path(name)):
            mounts.bind(Path(name))


def _tool_paths() -> list[Path]:
    """The checkout, the Python installation and the ``PATH`` tool folders (outside /usr...)."""
    system = [Path(p) for p in SYSTEM_DIRS]
    needed = [PROJECT_ROOT, *_python_prefixes(), *_path_dirs()]
    return [p for p in needed if _is_dir(p) and not any(_is_under(p, s) for s in system)]


def host_paths_bound() -> list[Path]:
    """Every host folder a sandbox sees by default (resolved), whatever a caller adds.

    For secrets that must stay outside (``hooks/machinekey.py``): a path under none of these is
    not visible inside. The checkout counts whole, although ``.cache``, ``.git`` and ``site``
    are hidden: nothing secret belongs in it.
    """
    system = [Path(p).resolve() for p in (*SYSTEM_DIRS, *SYSTEM_EXTRAS) if os.path.lexists(p)]
    kept = [p.resolve() for p in RUN_KEPT_WITH_NETWORK if _is_dir(p)]
    return [*system, *kept, *(p.resolve() for p in _tool_paths())]


def mount_args(workdir: Path, readable: Sequence[Path], *, network: bool = False) -> list[str]:
    """bwrap arguments for the view described above, from the empty root up."""
    needed = _tool_paths()
    # deepest last: a checkout or interpreter under /tmp comes after the private /tmp
    needed = sorted(_minimal(needed), key=lambda p: len(p.parts))
    mounts = _Mounts()
    _system(mounts)
    mounts.special("--dev", Path("/dev"))
    mounts.special("--proc", Path("/proc"))
    mounts.tmpfs(Path("/tmp"), perms="1777")
    # POSIX shared memory (multiprocessing locks) needs a writable, private /dev/shm
    mounts.tmpfs(Path("/dev/shm"), perms="1777")
    if network:
        for kept in RUN_KEPT_WITH_NETWORK:
            if _is_dir(kept):
                mounts.bind(kept)
    for path in needed:
        mounts.bind(path)
    for name in HIDDEN_PROJECT_DIRS:
        if _is_dir(PROJECT_ROOT / name):
            mounts.tmpfs(PROJECT_ROOT / name)
    for path in readable:
        if os.path.exists(path):  # nothing to show; bwrap would refuse to start
            mounts.bind(Path(path).resolve())
    mounts.bind(workdir, writable=True)
    return mounts.argv
