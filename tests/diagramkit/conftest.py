"""Fixtures for diagram tests: a private cache, real scripts rendered once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hooks.cache import CACHE_DIR_ENV, NO_CACHE_ENV, Cache
from hooks.diagramkit import render
from hooks.diagramkit import sources as src
from tests.diagramkit.helpers import DIAGRAMS, FIXTURES


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the project's .cache from a test."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, render.Rendered]:
    """The fixture diagrams, rendered once for the whole session (cold, in parallel)."""
    cache = Cache("diagrams", tmp_path_factory.mktemp("session-cache"))
    scripts = [s for s in src.discover(FIXTURES) if s.name in DIAGRAMS]
    outcomes = render.render_all(scripts, cache=cache)
    failed = {n: str(o) for n, o in outcomes.items() if not isinstance(o, render.Rendered)}
    assert not failed, failed
    return outcomes  # type: ignore[return-value]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A writable ``diagrams_src`` holding copies of the fixture scripts and helpers."""
    folder = tmp_path / "diagrams_src"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder
