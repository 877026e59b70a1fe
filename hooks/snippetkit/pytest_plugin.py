"""pytest integration: every tested block under ``docs/`` is one test item named ``path:line``.

So ``pytest -k kind-local-images`` runs one post's blocks, and ``pytest -n auto --dist
loadgroup`` keeps each session on one worker (items carry ``xdist_group`` = the session). An
item runs its whole session the first time one of the session's items is reached (a session
only makes sense in page order) and then reports its own block's outcome. The runs, the cache
and the failure text are the build's own.

Registered by ``tests/conftest.py``; with no path arguments (a plain ``pytest`` run) ``docs/``
is collected as well as ``tests/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hooks import PROJECT_ROOT
from hooks.errors import SourceError
from hooks.snippetkit.discover import parse_file
from hooks.snippetkit.engine import Engine, RunResult
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.report import format_failure

DOCS = PROJECT_ROOT / "docs"
_ENGINE = pytest.StashKey[Engine]()
_RESULTS = pytest.StashKey[dict[str, RunResult]]()


class SnippetFailure(Exception):
    """A block failed; the message is the same report the build prints."""


def group_of(block: Block) -> str:
    """The unit that must run together: the session, or the page's checks (CRDs first)."""
    return f"{block.path}#checks" if block.kind == "check" else block.session_id


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "snippet: a tested code block from docs/")
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS and DOCS.is_dir():
        config.args.append(str(DOCS))
    config.stash[_RESULTS] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` see our groups under pytest 9 too.

    pytest-xdist marks a group by appending ``@group`` to ``item._nodeid``; pytest 9 keeps the
    id in ``item._id`` instead, so that suffix is lost and a session's items could be spread
    over workers. Apply the suffix the way pytest 9 stores ids (only when xdist's own did not).
    """
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers
        return
    for item in items:
        if not isinstance(item, SnippetItem):
            continue
        suffix = "@" + group_of(item.block)
        if item.nodeid.endswith(suffix) or not hasattr(item, "_id"):
            continue
        item._id = type(item._id).parse(item.nodeid + suffix)  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    engine = config.stash.get(_ENGINE, None)
    if engine is not None:
        engine.close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".md" and file_path.is_relative_to(DOCS):
        return SnippetFile.from_parent(parent, path=file_path)
    return None


def transcript_problems(path: Path, blocks: list[Block]) -> dict[str, str]:
    """block id -> the failure of its recorded transcript (stale, missing, not its output).

    The build's own rules (``SnippetBuild._plan_views``): a block this machine runs needs a
    current recording; a block that needs a cluster may wait for its first one.
    """
    from hooks.snippetkit.build import stale_error
    from hooks.snippetkit.display import recording_problem
    from hooks.snippetkit.engine import RunOptions
    from hooks.snippetkit.sessions import group_sessions, runnable_prefix
    from hooks.snippetkit.transcripts import content_keys, load_store, staleness, store_path

    store = load_store(store_path(path))
    unrunnable: set[str] = set()
    for session in group_sessions(blocks):
        n, _ = runnable_prefix(session, RunOptions().network)
        unrunnable.update(b.id for b in session.blocks[n:])
    problems: dict[str, str] = {}
    keys = content_keys(blocks)
    for b in blocks:
        if b.id not in keys:
            continue
        session, index, key = keys[b.id]
        rec = store.recordings.get((session, index))
        why = staleness(b, key, rec) or (recording_problem(b, rec) if rec else "")
        if why and (b.id not in unrunnable or rec is not None):
            problems[b.id] = str(stale_error(b, why))
    for err in store.errors:
        for b in blocks:
            problems.setdefault(b.id, str(err))
    return problems


class SnippetFile(pytest.File):
    """A Markdown page: one item per tested block, one per option error."""

    def collect(self) -> Iterator[pytest.Item]:
        page = parse_file(self.path)
        stale = transcript_problems(self.path, page.blocks)
        groups: dict[str, list[Block]] = {}
        for b in page.blocks:
            groups.setdefault(group_of(b), []).append(b)
            if b.kind == "check":  # its file= is written in its session, for later blocks
                groups.setdefault(b.session_id, []).append(b)
        for err in page.errors:
            yield OptionErrorItem.from_parent(self, name=f"{err.path}:{err.line}", error=err)
        for b in page.blocks:
            item = SnippetItem.from_parent(
                self, name=b.id, block=b, group=groups[group_of(b)], stale=stale.get(b.id, "")
            )
            item.add_marker(pytest.mark.snippet)
            item.add_marker(pytest.mark.xdist_group(name=group_of(b)))
            yield item


class SnippetItem(pytest.Item):
    def __init__(self, *, block: Block, group: list[Block], stale: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.block = block
        self.group = group
        #: the failure of this block's recorded transcript, if any (after the run passes)
        self.stale = stale

    def _outcome(self) -> Outcome:
        config = self.config
        results = config.stash[_RESULTS]
        key = group_of(self.block)
        if key not in results:
            if _ENGINE not in config.stash:
                config.stash[_ENGINE] = Engine()
            results[key] = config.stash[_ENGINE].run(self.group)
        return results[key].outcomes[self.block.id]

    def runtest(self) -> None:
        outcome = self._outcome()
        if outcome.status == "skipped" and not (outcome.validated and self.stale):
            kind = "validated, not run" if outcome.validated else "skipped"
            pytest.skip(f"{kind}: {outcome.reason}")
        if outcome.failed:
            raise SnippetFailure(format_failure(self.block, outcome))
        if self.stale:
            raise SnippetFailure(self.stale)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, SnippetFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.block.line - 1, f"{self.block.id} ({self.block.kind})"


class OptionErrorItem(pytest.Item):
    """A mistake in a block's options fails like a failing block, with the same message."""

    def __init__(self, *, error: SourceError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise SnippetFailure(str(self.error))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.error.line - 1, f"{self.error.path}:{self.error.line}"
