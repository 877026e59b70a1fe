"""``python`` blocks: run in the session's interpreter; pass when no exception escapes."""

from __future__ import annotations

from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.runners.base import failed, passed
from hooks.snippetkit.transcripts import Step, normalize


class PythonRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        # Pad with blank lines so tracebacks name the line in the Markdown file.
        code = "\n" * block.line + block.text
        reply = ctx.python().request(
            {"op": "exec", "code": code, "filename": block.path}, timeout=block.timeout
        )
        if reply["ok"]:
            return passed(block, (Step("", normalize(reply["stdout"], ctx.workdir)),))
        return failed(
            block,
            "an exception escaped",
            diff=reply["error"],
            stderr=reply["stderr"],
            output=reply["stdout"],
        )
