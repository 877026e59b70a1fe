"""``test="skip"`` blocks (shown, never run) and ``file=`` blocks of other languages.

A ``file=`` block is written into the session folder by the session itself before any runner
is called, so for a language we cannot run, writing the file is the whole test.
"""

from __future__ import annotations

from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.runners.base import passed


class SkipRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        return Outcome(block.id, "skipped", reason=block.options.get("reason", ""))


class FileRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        return passed(block)
