"""The result cache: a warm run executes nothing; every input that matters invalidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.snippetkit import engine as engine_mod
from hooks.snippetkit.discover import parse_file
from hooks.snippetkit.engine import Engine, RunOptions

F = "```"
BASE = (
    f'{F}python test="run" session="s"\nx = 1\n{F}\n\n'
    f'{F}console test="run" session="t" file="out.txt"\n$ echo one\none\n{F}\n\n'
    f'{F}python test="run" session="s"\nassert x == 1\n{F}\n\n'
    f'{F}text test="skip" reason="illustration"\nfoo\n{F}\n'
)


class Counter:
    """Counts executed sessions by wrapping the engine's session runner."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sessions: list[str] = []
        real = engine_mod.run_session

        def counting(session, workdir, **kw):  # type: ignore[no-untyped-def]
            self.sessions.append(session.name)
            return real(session, workdir, **kw)

        monkeypatch.setattr(engine_mod, "run_session", counting)


def run(path: Path, text: str, *, use_cache: bool = True) -> tuple[str, ...]:
    path.write_text(text)
    page = parse_file(path)
    eng = Engine(RunOptions(use_cache=use_cache, jobs=2))
    try:
        result = eng.run(page.blocks)
    finally:
        eng.close()
    return (
        f"{result.count('passed')} passed",
        f"{result.count('failed')} failed",
        f"{result.count('skipped')} skipped",
        f"{result.from_cache} from cache",
    )


def test_warm_run_executes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter(monkeypatch)
    page = tmp_path / "p.md"
    assert run(page, BASE) == ("3 passed", "0 failed", "1 skipped", "0 from cache")
    assert sorted(counter.sessions) == ["s", "t"]
    counter.sessions.clear()
    assert run(page, BASE) == ("3 passed", "0 failed", "1 skipped", "3 from cache")
    assert counter.sessions == []


INVALIDATIONS = [
    # (what changed, new text, sessions that must run again)
    ("text of a later block", BASE.replace("assert x == 1", "assert x == 1 == 1"), ["s"]),
    ("text of an earlier block in the session", BASE.replace("x = 1\n", "x = 1  # one\n"), ["s"]),
    (
        "an option that affects execution",
        BASE.replace('session="t"', 'session="t" timeout="9"'),
        ["t"],
    ),
    ("the file= target", BASE.replace('file="out.txt"', 'file="other.txt"'), ["t"]),
    ("expected output", BASE.replace(f"one\n{F}", f"one\n\n{F}"), ["t"]),
    ("only a skipped block", BASE.replace("illustration", "example"), []),
    ("text outside any block", "Intro paragraph.\n\n" + BASE, []),
]


@pytest.mark.parametrize(
    ("new_text", "reruns"), [c[1:] for c in INVALIDATIONS], ids=[c[0] for c in INVALIDATIONS]
)
def test_invalidation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_text: str, reruns: list[str]
) -> None:
    page = tmp_path / "p.md"
    run(page, BASE)
    counter = Counter(monkeypatch)
    run(page, new_text)
    assert sorted(counter.sessions) == reruns


def test_tool_versions_are_part_of_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "p.md"
    run(page, BASE)
    monkeypatch.setattr(engine_mod, "_bash_version", lambda: "GNU bash, version 99")
    counter = Counter(monkeypatch)
    run(page, BASE)
    assert counter.sessions == ["t"]  # the console session; Python sessions are unaffected


def test_the_re2_version_is_part_of_a_console_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A console block's ` (re)` lines are matched by google-re2: another release re-runs it."""
    page = tmp_path / "p.md"
    run(page, BASE)
    real = engine_mod._dist_version
    monkeypatch.setattr(
        engine_mod,
        "_dist_version",
        lambda dist: "google-re2=99" if dist == "google-re2" else real(dist),
    )
    counter = Counter(monkeypatch)
    run(page, BASE)
    assert counter.sessions == ["t"]


def test_failures_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "p.md"
    failing = f'{F}console test="run"\n$ echo two\none\n{F}\n'
    assert run(page, failing)[1] == "1 failed"
    counter = Counter(monkeypatch)
    assert run(page, failing)[1] == "1 failed"
    assert counter.sessions == ["default"]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_forces_a_rerun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    page = tmp_path / "p.md"
    run(page, BASE)
    if how == "environment":
        monkeypatch.setenv("CONTROL_LOOP_NO_CACHE", "1")
    counter = Counter(monkeypatch)
    assert run(page, BASE, use_cache=how != "option")[3] == "0 from cache"
    assert sorted(counter.sessions) == ["s", "t"]


def test_cache_lives_under_the_configured_folder(tmp_path: Path, isolated_cache: Path) -> None:
    run(tmp_path / "p.md", BASE)
    entries = [p for p in (isolated_cache / "snippets").rglob("*") if p.is_file()]
    assert len(entries) == 2  # one per session that passed
    assert not (isolated_cache / "snippets-work").exists() or not any(
        (isolated_cache / "snippets-work").iterdir()
    )


def test_a_moment_without_processes_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine_mod.run_session
    calls: list[int] = []

    def flaky(session, workdir, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real(session, workdir, **kw)

    monkeypatch.setattr(engine_mod, "run_session", flaky)
    assert run(tmp_path / "p.md", f'{F}python test="run"\nx = 1\n{F}\n')[:2] == (
        "1 passed",
        "0 failed",
    )
    assert len(calls) == 2
