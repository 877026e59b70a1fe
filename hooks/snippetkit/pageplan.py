"""One page's plan: what readers see of each block, and which recordings are not current.

Decided from the page's text and its committed transcript store only (never from this run's
output), so it can be cached: a warm build reads one small JSON entry per page instead of
parsing the store, hashing every block and matching every recording against its patterns.
The cache key covers everything the plan depends on: the page's text, the store's text, which
blocks this run cannot execute, the interpreter versions a recording is tied to, and the
snippet runner's and the validators' own code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from hooks.errors import SourceError, display_path
from hooks.snippetkit.display import BlockView, recording_problem, view
from hooks.snippetkit.model import Block
from hooks.snippetkit.transcripts import (
    build_toolchain,
    content_keys,
    fix_command,
    load_store,
    read_store_bytes,
    staleness,
    store_path,
)


@dataclass
class PagePlan:
    views: dict[str, BlockView] = field(default_factory=dict)
    #: (block id, why) of recordings that are stale or missing where one is needed
    stale: list[tuple[str, str]] = field(default_factory=list)
    #: problems of the store itself (invalid YAML, a recording its block rejects)
    errors: list[SourceError] = field(default_factory=list)


def plan_page(
    abs_src: str, source: str, blocks: list[Block], unrunnable: dict[str, str]
) -> PagePlan:
    """The plan of one page (``source``: its text), from the cache when nothing changed."""
    from hooks.cache import Cache, digest
    from hooks.snippetkit.engine import _code_version, _validators_version

    store_file = store_path(abs_src)
    try:
        store_text = read_store_bytes(store_file) or b""
    except OSError:
        store_text = b"unreadable"  # load_store reports it
    versions = [v for kind in ("python", "console") for _, v in build_toolchain(kind)]
    key = digest(
        "page-plan-v2",
        _code_version(),
        _validators_version(),  # a check block's badge says what its validator can check
        abs_src,
        source,
        store_text,
        "\n".join(f"{b.id}={unrunnable[b.id]}" for b in blocks if b.id in unrunnable),
        *versions,
    )
    cache = Cache("transcripts")
    hit = cache.get_json(key)
    if isinstance(hit, dict):
        try:
            return PagePlan(
                {bid: BlockView(**v) for bid, v in hit["views"].items()},
                [(str(a), str(b)) for a, b in hit["stale"]],
            )
        except (KeyError, TypeError, ValueError):
            pass
    plan = _plan(store_file, blocks, unrunnable)
    if not plan.errors:
        cache.put_json(
            key,
            {"views": {k: asdict(v) for k, v in plan.views.items()}, "stale": plan.stale},
        )
    return plan


def _plan(store_file: Path, blocks: list[Block], unrunnable: dict[str, str]) -> PagePlan:
    plan = PagePlan()
    shown = display_path(store_file)
    store = load_store(store_file, shown)
    plan.errors.extend(store.errors)
    keys = content_keys(blocks)
    for b in blocks:
        rec = None
        current = False
        if b.id in keys:
            session, index, key = keys[b.id]
            rec = store.recordings.get((session, index))
            why = staleness(b, key, rec)
            if not why and rec is not None:
                problem = recording_problem(b, rec)
                if problem:
                    plan.errors.append(
                        SourceError(
                            shown, rec.line, f"the recording of {b.id} {problem}", fix_command(b)
                        )
                    )
                    why = problem
            current = not why
            # a cluster block may wait for its first recording; a stale one may not
            if why and (b.id not in unrunnable or rec is not None):
                plan.stale.append((b.id, why))
        plan.views[b.id] = view(b, rec, current=current, unrunnable=unrunnable.get(b.id, ""))
    return plan
