"""Who a sandbox runs as when root starts it: an unprivileged uid per working directory.

Why a module of its own: the kernel never enforces ``RLIMIT_NPROC`` for uid 0, so root's
sandboxes drop to a uid of their own and ``workdir`` is handed to it first; that policy (and the
care needed to chown a folder a running sandbox may still touch) lives here alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

#: Base of the uids used for sandboxes started by root (any unused range works: no passwd entry).
SANDBOX_UID_BASE = 200_000
_SANDBOX_UID_SPAN = 1 << 16


def run_as_root() -> bool:
    return os.geteuid() == 0


def sandbox_uid(workdir: Path) -> int:
    """The uid sandboxes of ``workdir`` run as (root callers only).

    One per working directory: RLIMIT_NPROC then counts one sandbox's processes only, and a
    long-lived worker (``popen``) and later ``run`` calls of the same session share their files.
    """
    digest = hashlib.sha256(os.fsencode(workdir)).digest()
    return SANDBOX_UID_BASE + int.from_bytes(digest[:4], "big") % _SANDBOX_UID_SPAN


def hand_over(workdir: Path, uid: int) -> None:
    """Give ``workdir`` and what the caller put in it to the sandbox uid (root callers only).

    A sandbox of the same directory may still be running (a session's worker), so nothing here
    trusts a path twice: ``fwalk`` holds each directory open (a directory swapped for a symlink
    is never entered), entries are changed relative to it without following links, and a file
    with several hard links (one could live outside ``workdir``) is left alone.
    """
    os.chown(workdir, uid, uid, follow_symlinks=False)
    for _root, dirs, files, dir_fd in os.fwalk(workdir, follow_symlinks=False):
        for name in dirs + files:
            with contextlib.suppress(FileNotFoundError):
                st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
                if st.st_uid == uid or (stat.S_ISREG(st.st_mode) and st.st_nlink > 1):
                    continue
                os.chown(name, uid, uid, dir_fd=dir_fd, follow_symlinks=False)
