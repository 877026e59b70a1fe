"""Content-addressed, atomic, self-checking cache under ``.cache/``.

Shared by diagrams, snippets and flame graphs. Every entry is written to a temporary file and
renamed into place, so a build killed mid-write never leaves a half entry; every entry carries the
SHA-256 of its payload, so a corrupt or truncated entry is detected, dropped and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hooks import PROJECT_ROOT

#: Set to any non-empty value to ignore cached results (they are still refreshed).
NO_CACHE_ENV = "CONTROL_LOOP_NO_CACHE"
#: Override the cache location (tests use a temporary directory).
CACHE_DIR_ENV = "CONTROL_LOOP_CACHE_DIR"

_MAGIC = b"control-loop-cache-v1\n"


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or PROJECT_ROOT / ".cache")


def cache_disabled() -> bool:
    return bool(os.environ.get(NO_CACHE_ENV))


def digest(*parts: bytes | str) -> str:
    """A stable key from ordered parts (length-prefixed, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """One namespace (``diagrams``, ``snippets``, ``flame``) of the shared cache."""

    def __init__(self, namespace: str, root: Path | None = None, *, enabled: bool | None = None):
        self.dir = (root or default_cache_dir()) / namespace
        self.enabled = (not cache_disabled()) if enabled is None else enabled

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The payload stored under ``key``, or None when absent, disabled or corrupt."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header_end = len(_MAGIC) + 65
        if raw[: len(_MAGIC)] != _MAGIC or len(raw) < header_end:
            self._drop(path)
            return None
        checksum = raw[len(_MAGIC) : header_end - 1].decode("ascii", "replace")
        payload = raw[header_end:]
        if hashlib.sha256(payload).hexdigest() != checksum:
            self._drop(path)
            return None
        return payload

    def put(self, key: str, payload: bytes) -> None:
        """Store ``payload`` atomically (temporary file in the same folder, then rename)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + checksum + b"\n" + payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get_json(self, key: str) -> Any | None:
        payload = self.get(key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            self._drop(self._path(key))
            return None

    def put_json(self, key: str, value: Any) -> None:
        self.put(key, json.dumps(value, sort_keys=True, separators=(",", ":")).encode())

    @staticmethod
    def _drop(path: Path) -> None:
        path.unlink(missing_ok=True)
