"""The per-machine secret that seals the host's own verdicts in ``.cache/``.

Why: the host re-checks every cache entry on read (``hooks/cache.py``), because anything that
could write under ``.cache/`` (a cache restored in CI, an earlier forged write) could forge an
entry. For the SVG allow-list that re-check is most of a warm build's cost (the staging flame
graph alone is 27,000 elements). A verdict the host reached itself may be remembered, if nobody
else can write one that passes for it: so such verdicts are sealed with an HMAC under a key that
lives outside the checkout and outside ``.cache/``, and that no sandbox can see
(``hooks/sandbox/filesystem.py`` binds neither ``~/.local/state`` nor ``$XDG_STATE_HOME``).

A seal proves "this host wrote these bytes under this key name", nothing more; a cache copied
from another machine (or restored by ``actions/cache``) carries seals of another key and is
checked again in full. Without a usable key (unset ``HOME``, a key file that is a link, not
ours, readable by others, or in a place a sandbox can see) nothing is sealed and everything is
checked in full, as before: slower, never weaker.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

#: Override the key's location (tests point it at a temporary folder).
KEY_FILE_ENV = "CONTROL_LOOP_KEY_FILE"
KEY_BYTES = 32


def key_path() -> Path | None:
    """Where this machine's key lives: ``$XDG_STATE_HOME/control-loop/cache.key`` (default
    ``~/.local/state/...``), or ``$CONTROL_LOOP_KEY_FILE``."""
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        return Path(explicit)
    state = os.environ.get("XDG_STATE_HOME")
    if state and os.path.isabs(state):
        return Path(state) / "control-loop" / "cache.key"
    home = os.environ.get("HOME")
    if home and os.path.isabs(home):
        return Path(home) / ".local" / "state" / "control-loop" / "cache.key"
    return None


def visible_to_sandbox(path: Path) -> bool:
    """Whether a sandboxed process could read ``path`` (it lies under a folder bound inside)."""
    from hooks.sandbox.filesystem import host_paths_bound

    resolved = path.resolve()
    return any(resolved == p or p in resolved.parents for p in host_paths_bound())


def _read_key(path: Path) -> bytes | None:
    """The key, if the file is a regular file of ours, not a link, unreadable to others."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
            or info.st_size != KEY_BYTES
        ):
            return None
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == KEY_BYTES else None


def _create_key(path: Path) -> None:
    """A new random key, written once (``O_EXCL``: a racing build's key wins, never mixed)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, secrets.token_bytes(KEY_BYTES))
        finally:
            os.close(fd)


@functools.cache
def machine_key() -> bytes | None:
    """This machine's sealing key (created on first use), or None when none is safe to use."""
    path = key_path()
    if path is None or visible_to_sandbox(path):
        return None
    key = _read_key(path)
    if key is None and not path.exists():
        _create_key(path)
        key = _read_key(path)
    return key


def seal(key: bytes, *parts: bytes) -> str:
    """HMAC-SHA256 of the length-prefixed ``parts`` (so parts cannot run into each other)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()
