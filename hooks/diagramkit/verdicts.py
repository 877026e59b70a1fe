"""The legibility verdict on a rendered diagram, cached, as the SourceErrors an author reads.

Shared by the site build (``build.py``: a failing diagram fails ``mkdocs build --strict`` and
shows the placeholder under ``mkdocs serve``) and the command line (``python -m hooks diagrams
check`` / ``render``). The verdict is a pure function of the two SVGs, the width they are shown at
and the checker's own code, so it is cached under a digest of exactly those: a warm build parses
no SVG (``legibility`` and lxml are imported on a miss only).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hooks.cache import Cache, digest
from hooks.errors import SourceError

if TYPE_CHECKING:
    from hooks.diagramkit.render import Rendered

_CHECKER = Path(__file__).with_name("legibility.py")


@dataclass(frozen=True)
class Problem:
    rule: str  # "size", "contrast", "overlap"
    label: str  # the text the author wrote, to find it in the script
    message: str
    hint: str


@dataclass(frozen=True)
class Verdict:
    """What a reader gets: the smallest text on screen, the width it needs, what is wrong."""

    smallest: str
    smallest_px: float  # the smallest label's size in CSS px, shown in the column
    legible_width: int  # CSS px at which the smallest label is MIN_PX (the zoom's width)
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "smallest": self.smallest,
            "smallest_px": self.smallest_px,
            "legible_width": self.legible_width,
            "problems": [p.__dict__ for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: dict) -> Verdict:
        return cls(
            str(data["smallest"]),
            float(data["smallest_px"]),
            int(data["legible_width"]),
            [Problem(**p) for p in data["problems"]],
        )


def verdict(rendered: Rendered, cache: Cache | None = None) -> Verdict:
    cache = cache if cache is not None else Cache("diagram-checks")
    key = digest(
        "legibility-1", _CHECKER.read_bytes(), rendered.light, rendered.dark, str(rendered.width_px)
    )
    entry = cache.get_json(key)
    if isinstance(entry, dict):
        try:
            return Verdict.from_json(entry)
        except (KeyError, TypeError, ValueError):
            pass
    from hooks.diagramkit.legibility import check  # and lxml: on a miss only

    result = check(rendered.light, rendered.dark, rendered.width_px)
    with contextlib.suppress(OSError):  # a full disk costs the next build a check, no more
        cache.put_json(key, result.to_json())
    return result


def errors(script: Path, result: Verdict) -> list[SourceError]:
    """One ``diagrams_src/NAME.py:LINE: ...`` error per problem, at the line writing the label."""
    if not result.problems:
        return []
    from hooks.diagramkit.legibility import label_line

    return [
        SourceError(script, label_line(script, p.label), p.message, p.hint) for p in result.problems
    ]
