"""Content-addressed, atomic, self-checking cache under ``.cache/``.

Shared by diagrams, snippets and flame graphs. Every entry is written to a temporary file and
renamed into place, so a build killed mid-write never leaves a half entry; every entry carries the
SHA-256 of its payload, so a corrupt or truncated entry is detected, dropped and recomputed.

A checksum proves an entry is whole, not that it is ours: anything that could write under
``.cache/`` can forge one, checksum included. So an entry is trusted on read exactly as much
as on write: it is opened without following links (``hooks.safefiles``), must be a regular file
no larger than the namespace's ``max_bytes``, and passes the namespace's ``validate`` (the same
check its producer applies before publishing, e.g. the SVG allow-list for diagrams) on every
``get``; an entry failing any of these is dropped and recomputed.

One kind of entry is trusted without a re-check: a verdict the host reached itself (is this SVG
allowed?), in a ``sealed`` namespace. Its checksum field is an HMAC under this machine's key
(``hooks.machinekey``: outside the checkout and ``.cache/``, invisible to sandboxes), so only
this host can write an entry that reads back; anything else there is dropped. Without a usable
key a sealed namespace stores nothing and every check runs in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hooks import PROJECT_ROOT, machinekey
from hooks.safefiles import UnsafeFileError, read_beneath, replace_beneath, unlink_beneath

#: Set to any non-empty value to ignore cached results (they are still refreshed).
NO_CACHE_ENV = "CONTROL_LOOP_NO_CACHE"
#: Override the cache location (tests use a temporary directory).
CACHE_DIR_ENV = "CONTROL_LOOP_CACHE_DIR"

_MAGIC = b"control-loop-cache-v1\n"
_HEADER = len(_MAGIC) + 65  # magic, 64 hex digits of SHA-256, newline
#: Largest payload a namespace accepts unless it says otherwise (flame tables are the largest).
DEFAULT_MAX_BYTES = 64 << 20

#: Checks a payload as strictly as its producer did; False drops the entry.
Validator = Callable[[bytes], bool]
#: The same for a JSON namespace, given the parsed value (so an entry is parsed once per read).
JsonValidator = Callable[[Any], bool]


#: What ``Cache._valid`` returns for a rejected entry (None is a valid JSON value).
_INVALID = object()


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


def file_stamp(path: Path) -> str:
    """A file's path, size and modification time (ns), for a key that must change when the file
    does without reading it: replacing, rewriting or upgrading a file changes at least one."""
    st = path.stat()
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}"


class Cache:
    """One namespace (``diagrams``, ``snippets``, ``flame``) of the shared cache.

    ``validate`` runs on every payload ``get`` returns (after the checksum): an entry it
    rejects, or that raises, is dropped. A JSON namespace passes ``validate_json`` instead: every
    read parses the entry and checks the value (``get`` and ``get_json`` alike), and
    ``get_json`` returns that same parsed value rather than parsing the payload a second time.
    ``max_bytes`` bounds what a read may load. ``sealed`` namespaces hold the host's own
    verdicts: an entry reads back only with this machine's seal.
    """

    def __init__(
        self,
        namespace: str,
        root: Path | None = None,
        *,
        enabled: bool | None = None,
        validate: Validator | None = None,
        validate_json: JsonValidator | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        sealed: bool = False,
    ):
        self.root = root or default_cache_dir()
        self.namespace = namespace
        self.dir = self.root / namespace
        self.enabled = (not cache_disabled()) if enabled is None else enabled
        self.validate = validate
        self.validate_json = validate_json
        self.max_bytes = max_bytes
        self.sealed = sealed

    def _parts(self, key: str) -> list[str]:
        return [self.namespace, key[:2], key]

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def _checksum(self, key: str, payload: bytes) -> bytes | None:
        """SHA-256 of the payload; in a sealed namespace, this machine's HMAC of key and payload
        (None without a usable key: nothing can be sealed, every verdict is reached again)."""
        if not self.sealed:
            return hashlib.sha256(payload).hexdigest().encode()
        secret = machinekey.machine_key()
        if secret is None:
            return None
        return machinekey.seal(secret, self.namespace.encode(), key.encode(), payload).encode()

    def get(self, key: str) -> bytes | None:
        """The payload stored under ``key``, or None when absent, disabled, corrupt or invalid."""
        entry = self._read(key)
        return None if entry is None else entry[0]

    def _read(self, key: str) -> tuple[bytes, Any] | None:
        """The checked payload and, in a JSON namespace, its parsed value (else None)."""
        if not self.enabled or (self.sealed and machinekey.machine_key() is None):
            return None
        try:
            raw = read_beneath(self.root, self._parts(key), max_bytes=_HEADER + self.max_bytes)
        except UnsafeFileError:
            self._drop(key)
            return None
        except OSError:
            return None
        if raw[: len(_MAGIC)] != _MAGIC or len(raw) < _HEADER:
            self._drop(key)
            return None
        checksum = raw[len(_MAGIC) : _HEADER - 1]
        payload = raw[_HEADER:]
        expected = self._checksum(key, payload)
        if expected is None or not hmac.compare_digest(expected, checksum):
            self._drop(key)
            return None
        value = self._valid(payload)
        if value is _INVALID:
            self._drop(key)
            return None
        return payload, value

    def _valid(self, payload: bytes) -> Any:
        """The parsed value (JSON namespaces), None, or ``_INVALID``: the entry is rejected."""
        try:
            if self.validate_json is not None:
                value = json.loads(payload)
                return value if self.validate_json(value) else _INVALID
            if self.validate is not None and not self.validate(payload):
                return _INVALID
        except Exception:  # a validator that chokes on an entry has rejected it
            return _INVALID
        return None

    def put(self, key: str, payload: bytes) -> None:
        """Store ``payload`` atomically (temporary file in the same folder, then rename)."""
        if len(payload) > self.max_bytes:
            return  # could never be read back: not worth the disk
        checksum = self._checksum(key, payload)
        if checksum is None:
            return
        # a link planted in the cache's folders is refused: nothing is stored through it
        with contextlib.suppress(UnsafeFileError):
            replace_beneath(self.root, self._parts(key), _MAGIC + checksum + b"\n" + payload)

    def get_json(self, key: str) -> Any | None:
        entry = self._read(key)
        if entry is None:
            return None
        payload, value = entry
        if self.validate_json is not None:
            return value  # parsed and checked once, in _read
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):  # RecursionError: a forged "[[[[..." entry
            self._drop(key)
            return None

    def put_json(self, key: str, value: Any) -> None:
        self.put(key, json.dumps(value, sort_keys=True, separators=(",", ":")).encode())

    def _drop(self, key: str) -> None:
        unlink_beneath(self.root, self._parts(key))
