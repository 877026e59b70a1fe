"""``bash``/``sh`` blocks: run as one script in the session's shell; must exit 0."""

from __future__ import annotations

from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.runners.base import failed, passed
from hooks.snippetkit.transcripts import Step, normalize


class ShellRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        res = ctx.run_shell(block.text, timeout=block.timeout, merge_stderr=False)
        if res.timed_out:
            return failed(
                block,
                f'timed out after {block.timeout:g} s (timeout="{block.timeout:g}")',
                output=res.output,
                stderr=res.stderr,
                timed_out=True,
            )
        if res.returncode != 0:
            return failed(
                block,
                f"exited with status {res.returncode}",
                output=res.output,
                stderr=res.stderr,
            )
        return passed(block, (Step("", normalize(res.output, ctx.workdir)),))
