"""Reading and writing files where untrusted code may have planted something: never via a link.

Why a module of its own: session folders, diagram work folders and ``.cache/`` can hold whatever
sandboxed code (or an earlier forged write) left there: a symbolic link to ``hooks/seo.py`` or
to a folder outside, a FIFO that blocks an ``open`` for ever, a file of gigabytes, a hard link.
The host walks every path below a trusted root one component at a time, openat-style: each step
opens the next name relative to the folder it holds open, with ``O_NOFOLLOW``; so a link is
refused, never followed, even while a process left running swaps folders for links. Only the
root itself (a folder the host chose) is opened normally. Standard library only, so the cache
can use it on a warm build at no cost.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_NOFOLLOW_DIR = _DIR | os.O_NOFOLLOW
# O_NONBLOCK: opening a FIFO must fail or return at once instead of waiting for its other end
_NOFOLLOW_FILE = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class UnsafeFileError(OSError):
    """A path the host refuses to use: a link, a non-regular file, too large, or outside.

    An ``OSError``, so code that already survives a failed read or write survives this too."""


#: Who new folders and files belong to (a root caller hands them to the sandbox uid).
Owner = tuple[int, int]


def relative_parts(relpath: str | Sequence[str]) -> list[str]:
    """The components of a relative path; absolute paths, ``..`` and empty names are refused."""
    if isinstance(relpath, str):
        if not relpath or "\0" in relpath:
            raise UnsafeFileError("is empty or contains a NUL character")
        path = PurePosixPath(relpath)
        if path.is_absolute():
            raise UnsafeFileError("is an absolute path (use a path relative to the folder)")
        parts = [p for p in path.parts if p != "."]
    else:
        parts = list(relpath)
    if not parts or any(p in ("", ".", "..") or "/" in p or "\0" in p for p in parts):
        raise UnsafeFileError("must name a file inside the folder (no `..`, no empty names)")
    return parts


def _what(dir_fd: int, name: str) -> str:
    """What is at ``name`` (for the message), without following it."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return "cannot be opened"
    if stat.S_ISLNK(mode):
        return "is a symbolic link (refused: the host never follows links)"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISREG(mode):
        return "is a file, not a folder"
    return "is not a regular file (a FIFO, socket or device; refused)"


def _enter(dir_fd: int, name: str, *, create: bool, owner: Owner | None) -> int:
    made = False
    if create:
        try:
            os.mkdir(name, 0o755, dir_fd=dir_fd)
            made = True
        except FileExistsError:
            pass
    try:
        fd = os.open(name, _NOFOLLOW_DIR, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafeFileError(f"`{name}` {_what(dir_fd, name)}") from None
        raise
    if made and owner is not None:
        os.fchown(fd, *owner)
    return fd


def _open_parent(root: Path, parts: list[str], *, create: bool, owner: Owner | None = None) -> int:
    """An fd of the folder holding ``parts[-1]``, reached without following any link."""
    fd = os.open(root, _DIR)
    try:
        for name in parts[:-1]:
            nxt = _enter(fd, name, create=create, owner=owner)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_file(dir_fd: int, name: str, flags: int, mode: int = 0o644) -> int:
    try:
        fd = os.open(name, flags | _NOFOLLOW_FILE, mode, dir_fd=dir_fd)
    except OSError as exc:
        # ELOOP: a link; ENXIO: a FIFO nobody reads; EISDIR: a folder
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENOTDIR):
            raise UnsafeFileError(f"`{name}` {_what(dir_fd, name)}") from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise UnsafeFileError(f"`{name}` is not a regular file (a FIFO, socket or device; refused)")
    return fd


def write_beneath(
    root: Path, relpath: str | Sequence[str], data: bytes, *, owner: Owner | None = None
) -> None:
    """Write ``data`` to ``root/relpath``, creating folders; no component may be a link.

    A file with other hard links is refused too (its other name could be anywhere on the same
    file system). New folders and the file get ``owner`` when given.
    """
    parts = relative_parts(relpath)
    dir_fd = _open_parent(root, parts, create=True, owner=owner)
    try:
        fd = _open_file(dir_fd, parts[-1], os.O_WRONLY | os.O_CREAT)
    finally:
        os.close(dir_fd)
    try:
        if os.fstat(fd).st_nlink != 1:
            raise UnsafeFileError(f"`{parts[-1]}` has other hard links (refused)")
        os.ftruncate(fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if owner is not None:
            os.fchown(fd, *owner)
    finally:
        os.close(fd)


def read_beneath(root: Path, relpath: str | Sequence[str], *, max_bytes: int) -> bytes:
    """The bytes of the regular file ``root/relpath``, read without following any link.

    Raises ``UnsafeFileError`` for a link, a FIFO, socket or device, or more than ``max_bytes``
    (checked before reading, and again while reading: the file may still grow), ``OSError``
    (``FileNotFoundError`` ...) when it cannot be opened.
    """
    parts = relative_parts(relpath)
    dir_fd = _open_parent(root, parts, create=False)
    try:
        fd = _open_file(dir_fd, parts[-1], os.O_RDONLY)
    finally:
        os.close(dir_fd)
    try:
        too_big = f"`{parts[-1]}` is larger than {max_bytes} bytes (refused)"
        if os.fstat(fd).st_size > max_bytes:
            raise UnsafeFileError(too_big)
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise UnsafeFileError(too_big)
        return b"".join(chunks)
    finally:
        os.close(fd)


def replace_beneath(root: Path, relpath: str | Sequence[str], data: bytes) -> None:
    """Atomically store ``data`` as ``root/relpath``: a new temporary file, then a rename
    within the same held folder (whatever was at the name, a link included, is replaced)."""
    parts = relative_parts(relpath)
    root.mkdir(parents=True, exist_ok=True)
    dir_fd = _open_parent(root, parts, create=True)
    try:
        tmp = f".tmp-{os.getpid()}-{os.urandom(6).hex()}.part"
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW_FILE, 0o644, dir_fd=dir_fd
        )
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, parts[-1], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)


def unlink_beneath(root: Path, relpath: str | Sequence[str]) -> None:
    """Remove ``root/relpath`` (a link is removed itself, never its target); quiet if absent."""
    with contextlib.suppress(OSError, UnsafeFileError):
        parts = relative_parts(relpath)
        dir_fd = _open_parent(root, parts, create=False)
        try:
            os.unlink(parts[-1], dir_fd=dir_fd)
        finally:
            os.close(dir_fd)
