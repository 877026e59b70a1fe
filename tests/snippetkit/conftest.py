"""Fixtures for the tested-snippets tests: an isolated cache, and a helper that runs a page."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hooks.snippetkit.discover import parse_file
from hooks.snippetkit.engine import Engine, RunOptions, RunResult
from hooks.snippetkit.model import Outcome
from hooks.snippetkit.parse import ParsedPage


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(cache))
    monkeypatch.delenv("CONTROL_LOOP_NO_CACHE", raising=False)
    monkeypatch.delenv("CONTROL_LOOP_SNIPPETS_NETWORK", raising=False)
    # CI=true (.ci/run) makes a missing recording an error; these pages are not recorded unless
    # a test records them (test_transcripts.py sets CI=true where that is the subject)
    monkeypatch.delenv("CI", raising=False)
    return cache


@dataclass
class PageRun:
    page: ParsedPage
    result: RunResult
    path: Path

    def statuses(self) -> list[str]:
        return [o.status for _, o in self.result.ordered()]

    def outcomes(self) -> list[Outcome]:
        return [o for _, o in self.result.ordered()]

    def by_line(self, line: int) -> Outcome:
        return next(o for b, o in self.result.ordered() if b.line == line)


RunPage = Callable[..., PageRun]


@pytest.fixture
def run_page(tmp_path: Path) -> RunPage:
    """Write Markdown to a page, parse it and run it; returns statuses in page order."""

    def run(
        markdown: str,
        *,
        name: str = "page.md",
        use_cache: bool = False,
        network: bool = False,
        available: Callable[[str], bool] | None = None,
    ) -> PageRun:
        path = tmp_path / name
        path.write_text(textwrap.dedent(markdown).lstrip("\n"), encoding="utf-8")
        page = parse_file(path)
        assert not page.errors, [str(e) for e in page.errors]
        kwargs = {"available": available} if available else {}
        engine = Engine(RunOptions(use_cache=use_cache, jobs=2, network=network), **kwargs)
        try:
            result = engine.run(page.blocks)
        finally:
            engine.close()
        return PageRun(page, result, path)

    return run
