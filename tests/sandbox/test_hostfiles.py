"""What the host reads and writes where sandboxed code could have planted something:
``hooks.safefiles`` and the cache built on it (issue 13, items 1 and the cache half of 1).

Each test plants the hostile thing itself (a link, a FIFO, a huge file, a forged entry with a
correct checksum) and checks from outside: the canary outside is untouched, the read returns
nothing instead of hanging or loading gigabytes, the forged entry is gone afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest

from hooks.cache import _MAGIC, Cache, digest
from hooks.safefiles import (
    UnsafeFileError,
    read_beneath,
    relative_parts,
    replace_beneath,
    write_beneath,
)


def _entry(payload: bytes) -> bytes:
    """A cache entry exactly as ``Cache.put`` writes it: a forger knows the format."""
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _finishes(fn, seconds: float = 30.0):
    box: list = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still blocked after {seconds} s"
    return box[0]


# -- safefiles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../x", "a/../../x", "", "a/\0b"])
def test_names_outside_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafeFileError):
        write_beneath(tmp_path, name, b"x")


def test_dot_components_are_harmless() -> None:
    assert relative_parts("./a/./b") == ["a", "b"]


def test_write_never_follows_a_link_anywhere_in_the_path(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "victim").write_text("original\n")
    (root / "dir").symlink_to(outside)
    (root / "file").symlink_to(outside / "victim")
    (root / "real").mkdir()
    (root / "real" / "deeper").symlink_to(outside)
    (root / "dangling").symlink_to(outside / "created-through-link")
    for name in ["dir/new", "file", "real/deeper/new", "dangling"]:
        with pytest.raises(UnsafeFileError, match="symbolic link"):
            write_beneath(root, name, b"pwned\n")
    assert sorted(p.name for p in outside.iterdir()) == ["victim"]
    assert (outside / "victim").read_text() == "original\n"


def test_write_refuses_a_hard_link(tmp_path: Path) -> None:
    (tmp_path / "other-name").write_text("original\n")
    os.link(tmp_path / "other-name", tmp_path / "f")
    with pytest.raises(UnsafeFileError, match="hard links"):
        write_beneath(tmp_path, "f", b"pwned\n")
    assert (tmp_path / "other-name").read_text() == "original\n"


def test_fifo_refused_at_once_for_reading_and_writing(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    for op in (
        lambda: write_beneath(tmp_path, "pipe", b"x"),
        lambda: read_beneath(tmp_path, "pipe", max_bytes=100),
    ):

        def attempt(op=op) -> str:
            try:
                op()
            except UnsafeFileError as exc:
                return str(exc)
            return "no error"

        assert "not a regular file" in _finishes(attempt)


def test_read_refuses_devices_and_large_files(tmp_path: Path) -> None:
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        read_beneath(tmp_path, "zero", max_bytes=100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(UnsafeFileError, match="larger than 100 bytes"):
        read_beneath(tmp_path, "big", max_bytes=100)
    assert read_beneath(tmp_path, "big", max_bytes=101) == b"x" * 101


def test_replace_swaps_a_planted_link_for_a_file(tmp_path: Path) -> None:
    outside = tmp_path / "victim"
    outside.write_text("original\n")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "entry").symlink_to(outside)
    replace_beneath(tmp_path / "root", "entry", b"new\n")
    assert outside.read_text() == "original\n"
    assert not (tmp_path / "root" / "entry").is_symlink()
    assert (tmp_path / "root" / "entry").read_bytes() == b"new\n"


# -- the cache ---------------------------------------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path):
    """``planted(cache, key, thing)``: puts ``thing`` (bytes, or a callable making it at the
    path) where ``cache`` keeps ``key``."""

    def plant(cache: Cache, key: str, thing) -> Path:
        path = cache.dir / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(thing):
            thing(path)
        else:
            path.write_bytes(thing)
        return path

    return plant


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = Cache("ns", tmp_path)
    cache.put_json("ab" * 32, {"passed": 2})
    assert cache.get_json("ab" * 32) == {"passed": 2}


def test_cache_never_follows_a_linked_entry(tmp_path: Path, planted) -> None:
    forged = tmp_path / "forged-entry"
    forged.write_bytes(_entry(b'{"passed": 1}'))
    cache = Cache("ns", tmp_path / "cache")
    key = digest("k")
    path = planted(cache, key, lambda p: p.symlink_to(forged))
    assert cache.get(key) is None
    assert not path.is_symlink() and not path.exists()  # dropped, the link itself
    assert forged.exists()


def test_cache_never_follows_a_linked_folder(tmp_path: Path) -> None:
    forged = tmp_path / "forged"
    key = digest("k")
    (forged / key[:2]).mkdir(parents=True)
    (forged / key[:2] / key).write_bytes(_entry(b"payload"))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "ns").symlink_to(forged)
    cache = Cache("ns", tmp_path / "cache")
    assert cache.get(key) is None
    cache.put(key, b"real")  # refused too: nothing written through the link
    assert (forged / key[:2] / key).read_bytes() == _entry(b"payload")


def test_cache_fifo_entry_does_not_block(tmp_path: Path, planted) -> None:
    cache = Cache("ns", tmp_path)
    key = digest("k")
    planted(cache, key, os.mkfifo)
    assert _finishes(lambda: cache.get(key) or "none") == "none"


def test_cache_oversized_entry_not_loaded(tmp_path: Path, planted) -> None:
    cache = Cache("ns", tmp_path, max_bytes=1 << 20)
    key = digest("k")
    planted(cache, key, _entry(b"x" * (2 << 20)))
    assert cache.get(key) is None


def test_cache_deeply_nested_json_entry_is_dropped(tmp_path: Path, planted) -> None:
    cache = Cache("ns", tmp_path)
    key = digest("k")
    path = planted(cache, key, _entry(b"[" * 200_000))
    assert cache.get_json(key) is None
    assert not path.exists()


def test_cache_validator_runs_on_every_read(tmp_path: Path, planted) -> None:
    seen: list[bytes] = []

    def valid(payload: bytes) -> bool:
        seen.append(payload)
        return payload.startswith(b"<svg")

    cache = Cache("ns", tmp_path, validate=valid)
    good, bad, boom = digest("good"), digest("bad"), digest("boom")
    cache.put(good, b"<svg/>")
    planted(cache, bad, _entry(b"<script>alert(1)</script>"))  # checksum is right
    assert cache.get(good) == b"<svg/>"
    assert cache.get(good) == b"<svg/>"
    assert cache.get(bad) is None
    assert not (cache.dir / bad[:2] / bad).exists()
    assert seen.count(b"<svg/>") == 2

    def raises(payload: bytes) -> bool:
        raise ValueError("not even XML")

    planted(cache, boom, _entry(b"<svg"))
    assert Cache("ns", tmp_path, validate=raises).get(boom) is None


def test_json_validator_sees_each_entry_parsed_once_per_read(tmp_path: Path, planted) -> None:
    """``validate_json``: the value is checked on every read, by ``get`` and ``get_json``
    alike, and ``get_json`` hands back the value it checked; anything else is dropped."""
    seen: list[object] = []

    def valid(value: object) -> bool:
        seen.append(value)
        return isinstance(value, dict) and value.get("ok") is True

    cache = Cache("ns", tmp_path, validate_json=valid)
    good, forged, broken, deep = digest("good"), digest("forged"), digest("broken"), digest("deep")
    cache.put_json(good, {"ok": True, "svg": "<svg/>"})
    planted(cache, forged, _entry(b'{"ok": false}'))  # checksum is right
    planted(cache, broken, _entry(b'{"ok": tru'))
    planted(cache, deep, _entry(b"[" * 200_000))
    assert cache.get_json(good) == {"ok": True, "svg": "<svg/>"}
    assert cache.get(good) == b'{"ok":true,"svg":"<svg/>"}'
    assert seen == [{"ok": True, "svg": "<svg/>"}] * 2  # one parse and check per read
    for key in (forged, broken, deep):
        assert cache.get_json(key) is None
        assert not (cache.dir / key[:2] / key).exists()
    assert len(seen) == 3  # the forged object reached the check; the broken ones never parsed


@pytest.mark.parametrize(
    "forged",
    [b"[1]", b'{"passed": "all"}', b'{"passed": true}', b'{"passed": 0}', b"null", b'"x"'],
)
def test_forged_snippet_entry_is_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forged: bytes
) -> None:
    """A session whose cache entry is forged (checksum right, shape wrong) runs for real."""
    from hooks.snippetkit.engine import Engine, RunOptions, session_keys
    from hooks.snippetkit.parse import parse_page
    from hooks.snippetkit.sessions import group_sessions

    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(tmp_path / "cache"))
    page = parse_page('```python test="run"\nraise SystemExit(3)\n```\n', "docs/p.md")
    (session,) = group_sessions(page.blocks)
    engine = Engine(RunOptions(use_cache=True, jobs=1))
    try:
        keys = session_keys(session, False)
        group = engine._group_key(keys, [b.id for b in session.blocks])
        path = engine.cache.dir / group[:2] / group
        path.parent.mkdir(parents=True)
        path.write_bytes(_entry(forged))
        result = engine.run(page.blocks)
    finally:
        engine.close()
    assert [o.status for _, o in result.ordered()] == ["failed"]
    assert json.dumps(result.ordered()[0][1].to_json())  # a real verdict, not a crash
    assert "internal error" not in result.ordered()[0][1].message
