"""The legibility verdict on a rendered diagram, cached, as the SourceErrors an author reads.

Shared by the site build (``build.py``: a failing diagram fails ``mkdocs build --strict`` and
shows the placeholder under ``mkdocs serve``) and the command line (``python -m hooks diagrams
check`` / ``render``). The verdict is a pure function of the two SVGs, the width they are shown at
and the checker's own code, so it is cached under a digest of exactly those: a warm build parses
no SVG (``legibility`` and lxml are imported on a miss only).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from hooks.cache import Cache, digest
from hooks.errors import SourceError

if TYPE_CHECKING:
    from hooks.diagramkit.legibility import Verdict
    from hooks.diagramkit.render import Rendered

_CHECKER = Path(__file__).with_name("legibility.py")


def verdict(rendered: Rendered, cache: Cache | None = None) -> Verdict:
    cache = cache if cache is not None else Cache("diagram-checks")
    key = digest(
        "legibility-1", _CHECKER.read_bytes(), rendered.light, rendered.dark, str(rendered.width_px)
    )
    from hooks.diagramkit.legibility import Verdict, check

    entry = cache.get_json(key)
    if isinstance(entry, dict):
        try:
            return Verdict.from_json(entry)
        except (KeyError, TypeError, ValueError):
            pass
    result = check(rendered.light, rendered.dark, rendered.width_px)
    with contextlib.suppress(OSError):  # a full disk costs the next build a check, no more
        cache.put_json(key, result.to_json())
    return result


def errors(script: Path, result: Verdict) -> list[SourceError]:
    """One ``diagrams_src/NAME.py:LINE: ...`` error per problem, at the line writing the label."""
    from hooks.diagramkit.legibility import label_line

    return [
        SourceError(script, label_line(script, p.label), p.message, p.hint) for p in result.problems
    ]
