"""Recorded transcripts: what each tested block really printed, committed next to its post.

The page shows a block's *recorded* output; the expected output in the Markdown (with its
`` (re)`` / `` (glob)`` patterns) is only for checking. A build still runs every block (or finds
its pass in the cache) and checks the fresh output against the patterns; while that passes and
the recording is current, the page shows the committed recording, so builds stay
byte-identical whatever the machine printed this time.

The store of ``docs/blog/posts/<post>.md`` is ``docs/blog/posts/<post>.transcripts.yaml``
(kept out of the built site by ``exclude_docs``), one entry per recorded block, written by
``python -m hooks snippets --record`` (cluster blocks: by the e2e workflow, see
``e2e_store``). An entry is found by its session and its place in the session (``block: 3`` is
the session's third block that prints output), so editing prose around a block changes nothing;
it is *current* while its ``key`` equals the block's content key (its text and options, chained
with every earlier block of the session, because earlier blocks decide what later ones print)
and, for blocks run at build, while it was made with the same minor version of the interpreter
that runs it. A stale or missing recording is an error under ``CI=true``.

Only machine leaks are normalized before anything is written: the session's work directory
(shown as ``~``, it is also ``$HOME``) and this checkout's path (``~/control-loop``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hooks import PROJECT_ROOT
from hooks.errors import SourceError
from hooks.snippetkit.model import Block

FORMAT = 1
SUFFIX = ".transcripts.yaml"
#: Kinds whose output a recording keeps.
RECORDED_KINDS = ("console", "pycon", "python", "shell")
#: ``requires=`` tools that mean "runs against a cluster" (recorded by the e2e workflow).
CLUSTER_TOOLS = frozenset({"docker", "kind", "kubectl"})
#: Where a recording was made: at an ordinary build, on a kind cluster (the e2e job), or with
#: network access but no cluster (``requires="git network"``, the e2e job too).
RAN_AT = ("build", "kind", "network")
CHECKOUT_SHOWN = "~/control-loop"


def store_path(markdown: str | Path) -> Path:
    """The transcript store that belongs to a Markdown file."""
    p = Path(markdown)
    return p.with_name(p.stem + SUFFIX)


def is_cluster_block(block: Block) -> bool:
    return bool(CLUSTER_TOOLS.intersection(block.requires))


def needs_ci(block: Block) -> bool:
    """Blocks an ordinary build cannot run: they need a cluster, Docker or the network."""
    return bool(block.requires)


@dataclass(frozen=True)
class Step:
    """One command (console), example (pycon) or the whole block (python, shell)."""

    source: str
    output: str
    status: int = 0


@dataclass(frozen=True)
class Recording:
    session: str
    index: int
    kind: str
    key: str
    ran: str
    toolchain: Mapping[str, str]
    date: str
    steps: tuple[Step, ...]
    #: the store's line of this entry, for messages
    line: int = 0

    @property
    def ident(self) -> tuple[str, int]:
        return (self.session, self.index)


@dataclass
class Store:
    """One post's recordings, by (session, index)."""

    path: Path
    recordings: dict[tuple[str, int], Recording] = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)


# -- keys ------------------------------------------------------------------------------------
def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def content_keys(blocks: Sequence[Block]) -> dict[str, tuple[str, int, str]]:
    """block id -> (session, index, key) for the recorded blocks of one page.

    The key chains each block's text and the options that change what it prints with every
    earlier non-skip block of its session (check blocks included: their ``file=`` is read).
    """
    prev: dict[str, str] = {}
    index: dict[str, int] = {}
    out: dict[str, tuple[str, int, str]] = {}
    for b in blocks:
        if b.kind == "skip":
            continue
        opts = "\n".join(f"{k}={b.options[k]}" for k in ("file", "requires") if k in b.options)
        key = _digest(
            "transcript-v1", b.kind, b.lang.lower(), b.text, opts, prev.get(b.session, "")
        )
        prev[b.session] = key
        if b.kind in RECORDED_KINDS:
            index[b.session] = index.get(b.session, 0) + 1
            out[b.id] = (b.session, index[b.session], key)
    return out


@functools.cache
def build_toolchain(kind: str) -> tuple[tuple[str, str], ...]:
    """What runs a block of ``kind`` at build, as recorded (full versions)."""
    import platform

    if kind in ("python", "pycon"):
        return (("python", platform.python_version()),)
    from hooks.snippetkit.engine import bash_version  # asked once per build, for both

    m = re.search(r"version (\d+\.\d+\.\d+)", bash_version())
    return (("bash", m.group(1) if m else "unknown"),)


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def staleness(block: Block, key: str, rec: Recording | None) -> str:
    """Why ``rec`` cannot be shown for ``block`` ('' when it is current)."""
    if rec is None:
        return "has no recording"
    if rec.kind != block.kind:
        return f"has a recording of a {rec.kind} block"
    if rec.key != key:
        return "was edited since it was recorded (or an earlier block of its session was)"
    if rec.ran == "build":
        for tool, version in build_toolchain(block.kind):
            was = rec.toolchain.get(tool, "")
            if _minor(was) != _minor(version):
                return f"was recorded with {tool} {was or '?'}, this build runs {tool} {version}"
    return ""


def fix_command(block: Block) -> str:
    """The one command that makes a block's recording current."""
    if needs_ci(block):
        return (
            "let the e2e workflow run it, then take its transcripts in: "
            "python -m hooks snippets --take-in <downloaded e2e-transcripts folder or zip>"
        )
    return f"run: python -m hooks snippets --record {block.path}"


# -- normalizing -----------------------------------------------------------------------------
def normalize(text: str, workdir: Path | None) -> str:
    """Only machine leaks: the session's folder (``~``) and this checkout's path."""
    if workdir is not None:
        for p in {str(workdir), str(workdir.resolve())}:
            text = text.replace(p, "~")
    for p in {str(PROJECT_ROOT), str(PROJECT_ROOT.resolve())}:
        text = text.replace(p, CHECKOUT_SHOWN)
    return "\n".join(line.rstrip() for line in text.splitlines())


# -- reading ---------------------------------------------------------------------------------
def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_store(path: Path, shown: str | None = None) -> Store:
    """Read a store (a missing file is an empty store); every problem is a SourceError.

    A valid store is remembered in the cache by its text: building Python objects from YAML
    costs more than the rest of a warm build's snippet pass, reading JSON back does not.
    """
    store = Store(path)
    name = shown or str(path)
    try:
        raw = read_store_bytes(path)
        if raw is None:
            return store
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        store.errors.append(SourceError(name, 1, f"cannot read the transcript store: {exc}"))
        return store
    from hooks.cache import Cache, digest

    cache = Cache("transcripts")
    key = digest("transcript-store-v1", text)
    hit = cache.get_json(key)
    if isinstance(hit, list):
        try:
            for entry in hit:
                rec = _from_json(entry)
                store.recordings[rec.ident] = rec
            return store
        except (KeyError, TypeError, ValueError):
            store.recordings.clear()  # a damaged entry: read the YAML again
    _parse_store(text, name, store)
    if not store.errors:
        cache.put_json(key, [_to_json(r) for r in store.recordings.values()])
    return store


#: A store is text a person reviews; anything larger is not one.
MAX_STORE_BYTES = 8 * 2**20


def read_store_bytes(path: Path) -> bytes | None:
    """A store's bytes (None when there is none), read only from a regular file of sane size.

    The store arrives in pull requests like the post: a link (to ``/proc/self/environ``, say)
    or a FIFO must never be read, and an error message must never quote what it points at.
    """
    import stat as stat_mod

    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if not stat_mod.S_ISREG(st.st_mode):
        raise OSError("it is not a regular file (a link, FIFO or device is never read)")
    if st.st_size > MAX_STORE_BYTES:
        raise OSError(f"it is larger than {MAX_STORE_BYTES} bytes")
    return path.read_bytes()


def _to_json(r: Recording) -> dict[str, Any]:
    return {
        "session": r.session,
        "index": r.index,
        "kind": r.kind,
        "key": r.key,
        "ran": r.ran,
        "toolchain": dict(r.toolchain),
        "date": r.date,
        "steps": [[s.source, s.output, s.status] for s in r.steps],
        "line": r.line,
    }


def _from_json(e: Mapping[str, Any]) -> Recording:
    return Recording(
        session=str(e["session"]),
        index=int(e["index"]),
        kind=str(e["kind"]),
        key=str(e["key"]),
        ran=str(e["ran"]),
        toolchain={str(k): str(v) for k, v in e["toolchain"].items()},
        date=str(e["date"]),
        steps=tuple(Step(str(a), str(b), int(c)) for a, b, c in e["steps"]),
        line=int(e["line"]),
    )


def _parse_store(text: str, name: str, store: Store) -> None:
    try:
        loader = _loader()(text)
        try:  # one parse: the node tree gives entry lines, the data is built from it
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        store.errors.append(
            SourceError(name, line, f"transcript store is not valid YAML: {exc}", _REWRITE)
        )
        return
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        store.errors.append(
            SourceError(name, 1, f"transcript store needs `format: {FORMAT}` at the top", _REWRITE)
        )
        return
    lines = _entry_lines(node)
    for i, entry in enumerate(data.get("blocks") or []):
        line = lines[i] if i < len(lines) else 1
        try:
            rec = _recording(entry, line)
        except (KeyError, TypeError, ValueError) as exc:
            store.errors.append(
                SourceError(name, line, f"transcript entry is malformed ({exc})", _REWRITE)
            )
            continue
        if rec.ident in store.recordings:
            store.errors.append(
                SourceError(
                    name,
                    line,
                    f"two recordings of session {rec.session!r} block {rec.index}",
                    _REWRITE,
                )
            )
            continue
        store.recordings[rec.ident] = rec


_REWRITE = "re-record the post: python -m hooks snippets --record <post>.md"


def _entry_lines(node: Any) -> list[int]:
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == "blocks" and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string")
    return value


def _recording(entry: Mapping[str, Any], line: int) -> Recording:
    kind = _str(entry["kind"], "kind")
    if kind not in RECORDED_KINDS:
        raise ValueError(f"kind {kind!r}")
    ran = _str(entry["ran"], "ran")
    if ran not in RAN_AT:
        raise ValueError(f"ran {ran!r} (one of {', '.join(RAN_AT)})")
    index = entry["block"]
    if not isinstance(index, int) or isinstance(index, bool) or index < 1:
        raise ValueError("block must be a positive number")
    toolchain = entry.get("toolchain") or {}
    if not isinstance(toolchain, dict):
        raise TypeError("toolchain must be a mapping")
    steps = []
    for step in entry.get("transcript") or []:
        status = step.get("status", 0)
        if not isinstance(status, int) or isinstance(status, bool):
            raise TypeError("status must be a number")
        steps.append(
            Step(
                _str(step.get("source", ""), "source"),
                _str(step["output"], "output").removesuffix("\n"),
                status,
            )
        )
    return Recording(
        session=_str(entry["session"], "session"),
        index=index,
        kind=kind,
        key=_str(entry["key"], "key"),
        ran=ran,
        toolchain={str(k): str(v) for k, v in toolchain.items()},
        date=str(entry.get("date", "")),
        steps=tuple(steps),
        line=line,
    )


# -- writing ---------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_store(markdown_name: str, recordings: Iterable[Recording]) -> str:
    """The store's text: entries in page order, multi-line output as YAML block scalars."""
    entries = []
    for r in recordings:
        entry: dict[str, Any] = {
            "session": r.session,
            "block": r.index,
            "kind": r.kind,
            "key": r.key,
            "ran": r.ran,
            "toolchain": dict(r.toolchain),
            "date": r.date,
            "transcript": [],
        }
        for s in r.steps:
            step: dict[str, Any] = {}
            if r.kind in ("console", "pycon"):
                step["source"] = s.source
            step["output"] = s.output + "\n" if s.output else ""
            if s.status:
                step["status"] = s.status
            entry["transcript"].append(step)
        entries.append(entry)
    head = (
        f"# What the tested blocks of {markdown_name} printed when they last ran. The page shows\n"
        "# this output; the expected output (with its patterns) in the post is for checking.\n"
        f"# Written by `python -m hooks snippets --record` (cluster blocks: the e2e workflow);\n"
        '# review it like code. Format: CONTRIBUTING.md, "Recorded transcripts".\n'
    )
    body = yaml.dump(
        {"format": FORMAT, "blocks": entries},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    return head + body
