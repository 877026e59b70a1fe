"""Sealed cache namespaces (``hooks/machinekey.py``): the host remembers its own SVG verdicts.

What must hold, checked from outside: an entry reads back only with this machine's seal (a
forged one, written with the plain checksum anyone can compute, or sealed under another key, is
dropped); without a usable key nothing is sealed and every check runs in full; the key is not
readable inside the sandbox; and a forged "allowed" verdict never lets a hostile SVG through.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT, machinekey, svgsafe
from hooks.cache import _MAGIC, Cache, digest
from hooks.sandbox import run
from hooks.sandbox.filesystem import host_paths_bound

HOSTILE = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>\n'
HONEST = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n'


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh machine key under ``tmp_path`` and a cache folder of its own, for one test."""
    path = tmp_path / "state" / "control-loop" / "cache.key"
    monkeypatch.setenv(machinekey.KEY_FILE_ENV, str(path))
    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(tmp_path / "cache"))
    machinekey.machine_key.cache_clear()
    svgsafe.reason.cache_clear()
    yield path
    machinekey.machine_key.cache_clear()
    svgsafe.reason.cache_clear()


def _plain_entry(payload: bytes) -> bytes:
    """What anyone who can write ``.cache/`` can forge: the format with a correct SHA-256."""
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _plant(cache: Cache, key: str, raw: bytes) -> Path:
    path = cache.dir / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def test_key_is_created_once_private_and_reused(key_file: Path) -> None:
    first = machinekey.machine_key()
    assert first is not None and len(first) == machinekey.KEY_BYTES
    assert key_file.stat().st_mode & 0o777 == 0o600
    machinekey.machine_key.cache_clear()
    assert machinekey.machine_key() == first


def test_sealed_round_trip(key_file: Path, tmp_path: Path) -> None:
    cache = Cache("verdicts", tmp_path / "cache", sealed=True)
    cache.put(digest("k"), b"allowed")
    assert cache.get(digest("k")) == b"allowed"


def test_entry_with_a_plain_checksum_is_dropped(key_file: Path, tmp_path: Path) -> None:
    cache = Cache("verdicts", tmp_path / "cache", sealed=True)
    key = digest("k")
    path = _plant(cache, key, _plain_entry(b"allowed"))
    assert cache.get(key) is None
    assert not path.exists()
    # the same bytes are a valid entry of an unsealed namespace: the seal is what differs
    _plant(Cache("plain", tmp_path / "cache"), key, _plain_entry(b"allowed"))
    assert Cache("plain", tmp_path / "cache").get(key) == b"allowed"


def test_entry_sealed_under_another_key_is_dropped(
    key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache copied from another machine (or restored in CI) is checked again in full."""
    cache = Cache("verdicts", tmp_path / "cache", sealed=True)
    key = digest("k")
    cache.put(key, b"allowed")
    monkeypatch.setenv(machinekey.KEY_FILE_ENV, str(tmp_path / "other" / "cache.key"))
    machinekey.machine_key.cache_clear()
    assert cache.get(key) is None


@pytest.mark.parametrize("problem", ["world-readable", "link", "short", "inside-checkout"])
def test_no_usable_key_means_no_sealed_entries(
    key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    if problem == "inside-checkout":
        monkeypatch.setenv(machinekey.KEY_FILE_ENV, str(PROJECT_ROOT / ".cache" / "k.key"))
    else:
        key_file.parent.mkdir(parents=True)
        real = tmp_path / "real.key"
        real.write_bytes(os.urandom(machinekey.KEY_BYTES if problem != "short" else 8))
        real.chmod(0o644 if problem == "world-readable" else 0o600)
        if problem == "link":
            key_file.symlink_to(real)
        else:
            real.rename(key_file)
    machinekey.machine_key.cache_clear()
    assert machinekey.machine_key() is None
    cache = Cache("verdicts", tmp_path / "cache", sealed=True)
    cache.put(digest("k"), b"allowed")
    assert not cache.dir.exists(), "nothing may be stored that cannot be sealed"
    assert not (PROJECT_ROOT / ".cache" / "k.key").exists()


def test_default_key_place_is_outside_what_a_sandbox_sees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(machinekey.KEY_FILE_ENV, raising=False)
    path = machinekey.key_path()
    assert path is not None
    assert not machinekey.visible_to_sandbox(path), (path, host_paths_bound())
    assert machinekey.visible_to_sandbox(PROJECT_ROOT / ".cache" / "x")


def test_the_key_cannot_be_read_inside_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bwrap: None
) -> None:
    """The real key, at its default place under ``$HOME``, from a sandboxed shell."""
    monkeypatch.delenv(machinekey.KEY_FILE_ENV, raising=False)
    machinekey.machine_key.cache_clear()
    try:
        secret, path = machinekey.machine_key(), machinekey.key_path()
    finally:
        machinekey.machine_key.cache_clear()
    assert secret is not None and path is not None and path.is_file()
    work = tmp_path / "work"
    work.mkdir()
    probe = f"cat {path}; ls -la {path.parent}; od -An -tx1 {path}; exit 0"
    result = run(["sh", "-c", probe], workdir=work)
    assert secret.hex() not in result.stdout.replace(" ", "").replace("\n", "")
    assert result.stderr.count("No such file or directory") == 3, result.stderr


def test_forged_allowed_verdict_never_passes_a_hostile_svg(key_file: Path) -> None:
    """An attacker who can write ``.cache/`` plants "allowed" for their SVG: it is refused."""
    assert svgsafe.reason(HOSTILE) is not None  # the host's own verdict, sealed
    store = Cache(svgsafe.VERDICTS, sealed=True)
    key = svgsafe._verdict_key(HOSTILE, svgsafe.NOTHING)
    path = _plant(store, key, _plain_entry(b"allowed"))
    svgsafe.reason.cache_clear()
    assert "event attribute" in (svgsafe.reason(HOSTILE) or "")
    assert path.exists()  # replaced by the host's sealed refusal
    assert (store.get(key) or b"").startswith(b"refused:")


def test_a_sealed_verdict_spares_the_full_check(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of sealing: the next build does not parse the SVG again."""
    assert svgsafe.reason(HONEST) is None
    svgsafe.reason.cache_clear()

    def no_parse(svg: str, trusted: svgsafe.Trusted = svgsafe.NOTHING) -> None:
        raise AssertionError("checked again although this host sealed its verdict")

    monkeypatch.setattr(svgsafe, "check", no_parse)
    assert svgsafe.reason(HONEST) is None
    # a verdict holds for these rules only: other rules, another key, a full check again
    monkeypatch.setattr(svgsafe, "_rules", lambda: b"other rules")
    svgsafe.reason.cache_clear()
    with pytest.raises(AssertionError, match="checked again"):
        svgsafe.reason(HONEST)
