"""The shape every runner has, and the small helpers their verdicts share."""

from __future__ import annotations

import difflib
from typing import Any, Protocol

from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome

#: Lines of stderr / traceback kept in a report.
TAIL_LINES = 15


class Runner(Protocol):
    def run(self, block: Block, ctx: SessionContext) -> Outcome: ...


def tail(text: str, n: int = TAIL_LINES) -> str:
    lines = text.rstrip("\n").splitlines()
    return "\n".join(lines[-n:])


def unified_diff(expected: str, actual: str, block: Block) -> str:
    diff = difflib.unified_diff(
        expected.splitlines(),
        actual.splitlines(),
        fromfile=f"{block.id} (expected)",
        tofile=f"{block.id} (actual)",
        lineterm="",
    )
    return "\n".join(diff)


def passed(block: Block, steps: tuple[Any, ...] | None = None) -> Outcome:
    """A pass; ``steps`` is what the block printed (``transcripts.Step``), for ``--record``."""
    return Outcome(block.id, "passed", steps=steps)


def failed(
    block: Block,
    message: str,
    *,
    diff: str = "",
    stderr: str = "",
    output: str = "",
    new_text: str | None = None,
    timed_out: bool = False,
) -> Outcome:
    return Outcome(
        block.id,
        "failed",
        message=message,
        diff=diff,
        stderr=tail(stderr),
        output=tail(output),
        new_text=new_text,
        timed_out=timed_out,
    )
