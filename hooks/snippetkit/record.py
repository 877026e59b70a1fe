"""``--record`` and ``--take-in``: write recorded transcripts into the committed stores.

``--record`` runs the blocks afresh and writes what each passing block printed into its post's
store; a stale recording of a block it could not run is dropped. It is idempotent: a recording
that is still current (same content key, same toolchain, accepted by the block's expected
output) is kept byte for byte, so recording twice, or recording and then building, changes
nothing. To refresh a current recording on purpose,
delete its entry (or the store) and record again.

``--take-in`` merges the stores the e2e workflow uploaded (its ``e2e-transcripts`` artifact,
as a folder or the downloaded zip): each cluster recording is taken when it belongs to the
post as it is now (same key, output its patterns accept); anything else is refused with the
reason. The maintainer then reviews the diff like code.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from hooks.snippetkit.discover import parse_file
from hooks.snippetkit.display import recording_problem
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.transcripts import (
    SUFFIX,
    Recording,
    build_toolchain,
    content_keys,
    dump_store,
    is_cluster_block,
    load_store,
    needs_ci,
    staleness,
    store_path,
)

#: ``YYYY-MM-DD`` to record instead of today (the e2e workflow passes the run's date).
DATE_ENV = "CONTROL_LOOP_RECORD_DATE"


@dataclass
class RecordResult:
    written: list[Path] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # block ids given a new recording
    refused: list[str] = field(default_factory=list)  # take-in: messages


def today() -> str:
    return os.environ.get(DATE_ENV) or dt.datetime.now(dt.UTC).date().isoformat()


def _run(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


@functools.cache
def cluster_toolchain() -> tuple[tuple[str, str], ...]:
    """kind, Kubernetes (the kind cluster's server) and kubectl versions, as run here."""
    kind = re.search(r"v\d+\.\d+\.\d+", _run(["kind", "version"]))
    client, server = "", ""
    try:
        data = json.loads(_run(["kubectl", "version", "--output=json"]) or "{}")
        client = data.get("clientVersion", {}).get("gitVersion", "")
        server = data.get("serverVersion", {}).get("gitVersion", "")
    except json.JSONDecodeError:
        pass
    versions = {
        "kind": os.environ.get("CONTROL_LOOP_RECORD_KIND") or (kind.group(0) if kind else "?"),
        "kubernetes": os.environ.get("CONTROL_LOOP_RECORD_KUBERNETES") or server or "?",
        "kubectl": os.environ.get("CONTROL_LOOP_RECORD_KUBECTL") or client or "?",
    }
    return tuple(versions.items())


def _tool_version(tool: str) -> str:
    m = re.search(r"\d+\.\d+(\.\d+)?", _run([tool, "--version"]))
    return m.group(0) if m else "?"


def toolchain_for(block: Block) -> tuple[str, dict[str, str]]:
    """(where it ran, versions) for a block that ran here now."""
    if is_cluster_block(block):
        return "kind", dict(cluster_toolchain())
    if needs_ci(block):
        tools = [t for t in block.requires if t != "network"]
        return "network", {t: _tool_version(t) for t in tools}
    return "build", dict(build_toolchain(block.kind))


def _page_files(blocks: Iterable[Block]) -> dict[str, list[Block]]:
    pages: dict[str, list[Block]] = {}
    for b in blocks:
        pages.setdefault(b.path, []).append(b)
    return pages


def _markdown_file(path: str, root: Path) -> Path:
    """A block's file on disk: its path is relative to where the command runs, or to ``root``."""
    p = Path(path)
    if p.is_absolute():
        return p
    here = Path.cwd() / p
    return here if here.exists() else root / p


def _write(
    md: Path, page_blocks: list[Block], chosen: Mapping[tuple[str, int], Recording]
) -> Path | None:
    """Write the store of one page when its text changes; the path written, or None."""
    keys = content_keys(page_blocks)
    idents = [keys[b.id][:2] for b in page_blocks if b.id in keys]  # page order
    ordered = [chosen[ident] for ident in idents if ident in chosen]
    target = store_path(md)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if not ordered:
        if old is not None:
            target.unlink()
            return target
        return None
    text = dump_store(md.name, ordered)
    if text == old:
        return None
    target.write_text(text, encoding="utf-8")
    return target


def record(pairs: Iterable[tuple[Block, Outcome]], root: Path) -> RecordResult:
    """Write the recordings of every page that has passing recorded blocks in ``pairs``."""
    result = RecordResult()
    date = today()
    by_page: dict[str, list[tuple[Block, Outcome]]] = {}
    for b, o in pairs:
        by_page.setdefault(b.path, []).append((b, o))
    for path, items in by_page.items():
        md = _markdown_file(path, root)
        page_blocks = [b for b, _ in items]
        keys = content_keys(page_blocks)
        store = load_store(store_path(md))
        chosen: dict[tuple[str, int], Recording] = {}
        for b, o in items:
            if b.id not in keys:
                continue
            session, index, key = keys[b.id]
            old = store.recordings.get((session, index))
            keep = old is not None and not staleness(b, key, old) and not recording_problem(b, old)
            if keep and old is not None:
                chosen[(session, index)] = replace(old, line=0)
            elif o.status == "passed" and o.steps is not None:
                ran, toolchain = toolchain_for(b)
                chosen[(session, index)] = Recording(
                    session, index, b.kind, key, ran, toolchain, date, tuple(o.steps)
                )
                result.recorded.append(b.id)
            # not run here (or failed) and its recording is stale: it is dropped, since it
            # may belong to another block (its place in the session moved) and is never shown
            # anyway; a cluster block gets a new one from the e2e workflow
        written = _write(md, page_blocks, chosen)
        if written is not None:
            result.written.append(written)
    return result


def _artifact_stores(artifact: Path) -> dict[str, str]:
    """Store file name -> text, from an artifact folder or zip (names only, never paths)."""
    found: dict[str, str] = {}
    if artifact.is_dir():
        for p in sorted(artifact.rglob(f"*{SUFFIX}")):
            if p.is_file() and not p.is_symlink():
                found[p.name] = p.read_text(encoding="utf-8")
        return found
    with zipfile.ZipFile(artifact) as z:
        for info in z.infolist():
            name = Path(info.filename).name
            if name.endswith(SUFFIX) and not info.is_dir() and info.file_size < 16 * 2**20:
                found[name] = z.read(info).decode("utf-8")
    return found


def take_in(artifact: Path, markdown_files: Iterable[Path]) -> RecordResult:
    """Merge the e2e artifact's cluster recordings into the stores of ``markdown_files``."""
    result = RecordResult()
    stores = _artifact_stores(artifact)
    for md in markdown_files:
        name = store_path(md).name
        if name not in stores:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            incoming_file = Path(tmp) / name
            incoming_file.write_text(stores[name], encoding="utf-8")
            incoming = load_store(incoming_file, f"{artifact.name}:{name}")
        result.refused.extend(str(e) for e in incoming.errors)
        page = parse_file(md)
        keys = content_keys(page.blocks)
        local = load_store(store_path(md))
        chosen = {k: replace(r, line=0) for k, r in local.recordings.items()}
        for b in page.blocks:
            if b.id not in keys or not needs_ci(b):
                continue
            session, index, key = keys[b.id]
            rec = incoming.recordings.get((session, index))
            if rec is None:
                continue
            why = staleness(b, key, rec) or recording_problem(b, rec)
            if rec.ran == "build":
                why = why or "was not recorded on a cluster or in CI"
            if why:
                result.refused.append(f"{b.id}: the artifact's recording {why}; not taken")
                continue
            chosen[(session, index)] = replace(rec, line=0)
            result.recorded.append(b.id)
        written = _write(md, page.blocks, chosen)
        if written is not None:
            result.written.append(written)
    return result
