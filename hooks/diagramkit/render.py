"""Render diagram scripts: cached, each in its own sandboxed process, in parallel across cores.

A warm build renders nothing (one key computation and one cache read per diagram); a cold build
starts one ``python -m hooks.diagramkit.runner`` per script through ``hooks.sandbox`` (fresh
process, temporary working directory, no network, wall-clock timeout) on a thread pool as wide as
the machine's cores. Results are plain data: a ``Rendered`` pair of SVGs or a ``SourceError``
pointing at the script line to fix.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hooks import PROJECT_ROOT
from hooks.cache import Cache
from hooks.diagramkit import PX_PER_PT
from hooks.diagramkit import sources as src
from hooks.errors import SourceError
from hooks.safefiles import UnsafeFileError, read_beneath

#: Seconds one script may take (Python, the layout, post-processing) before it is stopped.
DEFAULT_TIMEOUT = 60.0
#: Address space for one render: Python, lxml and dot on a few hundred nodes fit easily.
MEMORY_BYTES = 2 << 30
#: Caps on what the sandboxed renderer hands back (a 220-node diagram is about 200 KB).
MAX_SVG_BYTES = 16 << 20
MAX_RESULT_BYTES = 1 << 20
MAX_ICON_BYTES = 16 << 20
MAX_ICONS = 1000
MAX_MESSAGE = 2000
#: Largest picture side accepted (about 35 m): anything bigger is a forged or broken result.
MAX_PT = 100_000.0
#: 1 pt = 4/3 CSS px; the <img> width/height attributes reserve the picture's space.


@dataclass(frozen=True)
class Rendered:
    name: str
    light: str
    dark: str
    width_pt: float
    height_pt: float
    seconds: float  # render time (0 when it came from the cache)
    cached: bool

    @property
    def width_px(self) -> int:
        return round(self.width_pt * PX_PER_PT)

    @property
    def height_px(self) -> int:
        return round(self.height_pt * PX_PER_PT)


Outcome = Rendered | SourceError


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _python() -> str:
    from hooks import sandbox

    venv = sandbox.VENV_BIN / "python"
    return str(venv) if venv.exists() else sys.executable


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _timeout_line(stderr: str, script: Path) -> int:
    """The script line faulthandler caught running when the time was up (innermost first)."""
    for m in _FRAME.finditer(stderr):
        if Path(m["file"]) == script:
            return int(m["line"])
    return 1


def render_one(script: src.Script, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[Outcome, dict]:
    """Run one script in the sandbox; the outcome and the icons it embedded (path -> sha256)."""
    from hooks import sandbox  # loaded on a cache miss only: a warm build never renders

    with tempfile.TemporaryDirectory(prefix=f"diagram-{script.name}-") as tmp:
        workdir = Path(tmp)
        start = time.monotonic()
        result = sandbox.run(
            [
                _python(),
                "-m",
                "hooks.diagramkit.runner",
                str(script.path),
                str(workdir),
                "--sources",
                str(script.sources),
                "--timeout",
                str(timeout),
            ],
            workdir=workdir,
            limits=sandbox.Limits(timeout=timeout + 10, memory_bytes=MEMORY_BYTES),
            env={
                "PYTHONPATH": str(PROJECT_ROOT),
                "PYTHONHASHSEED": "0",  # set iteration order in scripts: same picture every run
                "PYTHONDONTWRITEBYTECODE": "1",
            },
            readable=sorted({script.path.parent, script.sources}),
        )
        seconds = time.monotonic() - start
        return _outcome(script, workdir, result, timeout, seconds)


class _Refused(Exception):
    """What the sandboxed renderer handed back cannot be published (the message says why)."""


def _read_output(workdir: Path, name: str, limit: int) -> bytes | None:
    """A file the sandbox wrote into ``workdir``: never through a link, never a FIFO or device,
    never more than ``limit`` bytes (``hooks/safefiles``). None when it is absent; ``_Refused``
    when it is not a regular file or too large."""
    try:
        return read_beneath(workdir, name, max_bytes=limit)
    except FileNotFoundError:
        return None
    except UnsafeFileError as exc:
        raise _Refused(str(exc).replace("`", "")) from None
    except OSError as exc:
        raise _Refused(f"{name} cannot be read ({exc.strerror})") from None


def _number(value: object, what: str) -> float:
    """A picture dimension in pt: a finite number in ``(0, MAX_PT]`` (never ``inf`` or text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused(f"{what} is not a number")
    number = float(value)
    if not math.isfinite(number) or not 0 < number <= MAX_PT:
        raise _Refused(f"{what} = {value!r} is not between 0 and {MAX_PT:g} pt")
    return number


def _svg(value: object, what: str) -> str:
    """A published SVG: text within the size cap that passes the allow-list (``svgsafe``)."""
    from hooks import svgsafe  # lxml: loaded only when something renders or is read back

    if not isinstance(value, str) or len(value) > MAX_SVG_BYTES:
        raise _Refused(f"{what}.svg is missing or larger than {MAX_SVG_BYTES >> 20} MiB")
    reason = svgsafe.reason(value)
    if reason is not None:
        raise _Refused(f"{what}.svg: {reason}")
    return value


def checked(name: str, entry: object, seconds: float = 0.0, cached: bool = True) -> Rendered:
    """A ``Rendered`` from untrusted data (the renderer's output or a cache entry), or _Refused.

    The same checks on render and on every cache read: an entry written by anyone but this
    code (a forged file in ``.cache/``) is held to what a fresh render is held to.
    """
    if not isinstance(entry, dict):
        raise _Refused("the result is not a JSON object")
    return Rendered(
        name=name,
        light=_svg(entry.get("light"), "light"),
        dark=_svg(entry.get("dark"), "dark"),
        width_pt=_number(entry.get("width_pt"), "width_pt"),
        height_pt=_number(entry.get("height_pt"), "height_pt"),
        seconds=seconds,
        cached=cached,
    )


def _error_line(value: object) -> int:
    return value if isinstance(value, int) and 1 <= value <= 10_000_000 else 1


def _text(value: object) -> str:
    """A message from the renderer, one line, bounded (it lands in logs and in pages)."""
    return " ".join(str(value).split())[:MAX_MESSAGE]


def _outcome(
    script: src.Script, workdir: Path, result: Any, timeout: float, seconds: float
) -> tuple[Outcome, dict]:
    """The render's outcome from what the sandbox left in ``workdir`` (trusted in nothing)."""
    try:
        info_raw = _read_output(workdir, "result.json", MAX_RESULT_BYTES)
    except _Refused as exc:
        return SourceError(script.path, 1, f"the renderer's output is refused: {exc}"), {}
    if result.timed_out or (info_raw is None and "Timeout (" in result.stderr):
        line = _timeout_line(result.stderr, script.path)
        msg = f"the script did not finish within {timeout:g} s (timeout)"
        return SourceError(script.path, line, msg, "is there an endless loop?"), {}
    if info_raw is None:
        tail = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        return SourceError(script.path, 1, f"the renderer failed: {_text(tail[0])}"), {}
    try:
        info = json.loads(info_raw.decode("utf-8"))
        if not isinstance(info, dict):
            raise _Refused("result.json is not a JSON object")
        if info.get("ok") is not True:
            line, message = _error_line(info.get("line")), _text(info.get("message"))
            return SourceError(script.path, line, message, _text(info.get("hint") or "")), {}
        svgs = {}
        for scheme in ("light", "dark"):
            data = _read_output(workdir, f"{scheme}.svg", MAX_SVG_BYTES)
            if data is None:
                raise _Refused(f"{scheme}.svg is missing")
            svgs[scheme] = data.decode("utf-8")
        rendered = checked(script.name, {**info, **svgs}, seconds=seconds, cached=False)
        icons = _icon_files(info.get("icons"), script)
    except (ValueError, _Refused) as exc:  # UnicodeDecodeError and JSONDecodeError included
        return SourceError(script.path, 1, f"the renderer's output is refused: {exc}"), {}
    return rendered, icons


def _icon_roots(script: src.Script) -> tuple[Path, ...]:
    """Where a diagram's icons may come from: its own folder, or the diagrams library."""
    return (script.sources, src.icon_library())


def _confined(path: object, roots: Iterable[Path]) -> Path:
    """An icon path from untrusted data, resolved, inside ``roots`` (or _Refused)."""
    if not isinstance(path, str) or not os.path.isabs(path):
        raise _Refused(f"icon {str(path)[:80]!r} is not an absolute path")
    resolved = Path(path).resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise _Refused(f"icon {path[:80]!r} is outside diagrams_src/ and the diagrams icon sets")
    return resolved


def _icon_digest(path: Path) -> str | None:
    """sha256 of an icon file read by the host: regular, no link, at most MAX_ICON_BYTES."""
    try:
        data = _read_output(path.parent, path.name, MAX_ICON_BYTES)
    except _Refused:
        return None
    return None if data is None else hashlib.sha256(data).hexdigest()


def _icon_files(icons: object, script: src.Script) -> dict[str, str]:
    """Custom icons the render embedded (path -> sha256 the host computed itself).

    The renderer's list is a claim: every path must lie in ``diagrams_src/`` or the diagrams
    library, and the host hashes the files it names (so ``/dev/zero`` is refused here, and a
    poisoned list never reaches the cache for later builds to read).
    """
    if not isinstance(icons, dict) or len(icons) > MAX_ICONS:
        raise _Refused("the icon list is not a small JSON object")
    library = src.icon_library()
    found: dict[str, str] = {}
    for name in icons:
        path = _confined(name, _icon_roots(script))
        if path.is_relative_to(library):
            continue  # shipped with diagrams: covered by its version in the key
        sha = _icon_digest(path)
        if sha is None:
            raise _Refused(f"icon {name[:80]!r} is not a regular file of at most 16 MiB")
        found[str(path)] = sha
    return found


def _icons_unchanged(icons: object, script: src.Script) -> bool:
    """A cached entry's custom icons still have the bytes it was drawn from (bounded reads)."""
    if not isinstance(icons, dict) or len(icons) > MAX_ICONS:
        return False
    for path, sha in icons.items():
        try:
            confined = _confined(path, (script.sources,))
        except _Refused:
            return False
        if not isinstance(sha, str) or _icon_digest(confined) != sha:
            return False
    return True


def valid_entry(entry: object) -> bool:
    """The diagrams namespace's cache validator (given the parsed entry): an entry is what
    ``render_all`` writes, with SVGs that pass the allow-list and sizes in range (``Cache``
    drops anything else)."""
    checked("entry", entry)
    icons = entry.get("icons") if isinstance(entry, dict) else None
    return isinstance(icons, dict) and all(
        isinstance(p, str) and isinstance(h, str) and len(h) == 64 for p, h in icons.items()
    )


def diagram_cache() -> Cache:
    """The build's diagram cache (``.cache/diagrams/``), every entry checked on read."""
    most = 2 * MAX_SVG_BYTES + MAX_RESULT_BYTES
    return Cache("diagrams", validate_json=valid_entry, max_bytes=most)


def _from_cache(cache: Cache, key: str, script: src.Script) -> Rendered | None:
    """A cache hit, verified as strictly as a fresh render; anything else is a miss."""
    entry = cache.get_json(key)
    if not isinstance(entry, dict) or not _icons_unchanged(entry.get("icons"), script):
        return None
    try:
        return checked(script.name, entry)
    except _Refused:
        return None  # re-rendered, and the entry replaced


def render_all(
    scripts: Iterable[src.Script],
    *,
    cache: Cache | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
) -> dict[str, Outcome]:
    """Every script's outcome by name; cache hits first, the misses rendered in parallel.

    Raises ``ToolMissingError`` (one message with the install command) without Graphviz.
    """
    cache = cache if cache is not None else diagram_cache()
    tools = src.toolchain()
    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[src.Script, str]] = []
    shared: dict[Path, str] = {}  # diagrams_src/ -> digest of its helpers, once per call
    for script in scripts:
        if script.sources not in shared:
            shared[script.sources] = src.shared_digest(script.sources)
        key = src.cache_key(script, tools, shared[script.sources])
        hit = _from_cache(cache, key, script)
        if hit is not None:
            outcomes[script.name] = hit
        else:
            todo.append((script, key))

    def work(item: tuple[src.Script, str]) -> tuple[str, Outcome]:
        script, key = item
        outcome, icons = render_one(script, timeout=timeout)
        if isinstance(outcome, Rendered):
            entry = {
                "light": outcome.light,
                "dark": outcome.dark,
                "width_pt": outcome.width_pt,
                "height_pt": outcome.height_pt,
                "icons": icons,
            }
            # a full or read-only disk costs the next build a render, not this build
            with contextlib.suppress(OSError):
                cache.put_json(key, entry)
        return script.name, outcome

    workers = max(1, min(jobs or default_jobs(), len(todo)))
    if workers == 1:
        outcomes.update(work(item) for item in todo)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="diagram") as pool:
            outcomes.update(pool.map(work, todo))
    return {name: outcomes[name] for name in sorted(outcomes)}
