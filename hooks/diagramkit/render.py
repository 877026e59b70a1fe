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
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from hooks import PROJECT_ROOT
from hooks.cache import Cache
from hooks.diagramkit import sources as src
from hooks.errors import SourceError

#: Seconds one script may take (Python, the layout, post-processing) before it is stopped.
DEFAULT_TIMEOUT = 60.0
#: Address space for one render: Python, lxml and dot on a few hundred nodes fit easily.
MEMORY_BYTES = 2 << 30
#: 1 pt = 4/3 CSS px; the <img> width/height attributes reserve the picture's space.
PX_PER_PT = 4 / 3


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
        info_path = workdir / "result.json"
        if result.timed_out or (not info_path.is_file() and "Timeout (" in result.stderr):
            line = _timeout_line(result.stderr, script.path)
            msg = f"the script did not finish within {timeout:g} s (timeout)"
            return SourceError(script.path, line, msg, "is there an endless loop?"), {}
        if not info_path.is_file():
            tail = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
            return SourceError(script.path, 1, f"the renderer failed: {tail[0]}"), {}
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            if not info["ok"]:
                error = SourceError(
                    script.path, int(info["line"]), str(info["message"]), str(info["hint"])
                )
                return error, {}
            rendered = Rendered(
                name=script.name,
                light=(workdir / "light.svg").read_text(encoding="utf-8"),
                dark=(workdir / "dark.svg").read_text(encoding="utf-8"),
                width_pt=float(info["width_pt"]),
                height_pt=float(info["height_pt"]),
                seconds=seconds,
                cached=False,
            )
            icons = {str(k): str(v) for k, v in dict(info["icons"]).items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return SourceError(script.path, 1, f"the renderer's output is unreadable ({exc})"), {}
        # the script ran in the same sandboxed process as the renderer: trust nothing it wrote
        from hooks.diagramkit import svgpost  # lxml: loaded only when something renders

        for svg in (rendered.light, rendered.dark):
            reason = svgpost.unsafe_reason(svg)
            if reason is not None:
                return SourceError(script.path, 1, f"the rendered SVG is refused: {reason}"), {}
        return rendered, icons


def _custom_icons(icons: dict[str, str]) -> dict[str, str]:
    """Icons not shipped with ``diagrams`` (their edits are not covered by the cache key)."""
    library = src.icon_library()
    return {p: sha for p, sha in icons.items() if not Path(p).is_relative_to(library)}


def _icons_unchanged(icons: dict[str, str]) -> bool:
    for path, sha in icons.items():
        try:
            if hashlib.sha256(Path(path).read_bytes()).hexdigest() != sha:
                return False
        except OSError:
            return False
    return True


def _from_cache(cache: Cache, key: str, name: str) -> Rendered | None:
    entry = cache.get_json(key)
    if not isinstance(entry, dict):
        return None
    try:
        if not _icons_unchanged(entry["icons"]):
            return None
        return Rendered(
            name, entry["light"], entry["dark"], entry["width_pt"], entry["height_pt"], 0.0, True
        )
    except (KeyError, TypeError):
        return None


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
    cache = cache if cache is not None else Cache("diagrams")
    tools = src.toolchain()
    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[src.Script, str]] = []
    for script in scripts:
        key = src.cache_key(script, tools)
        hit = _from_cache(cache, key, script.name)
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
                "icons": _custom_icons(icons),
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
