"""``pycon`` blocks: ``>>> `` examples run in the session's interpreter, output must match.

Doctest rules, with ELLIPSIS on (``...`` matches anything). The worker returns every example's
actual output, so a failure shows a diff of the whole block and ``--update`` can rewrite it.
"""

from __future__ import annotations

from typing import Any

from hooks.snippetkit.context import SessionContext
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.runners.base import failed, passed, unified_diff
from hooks.snippetkit.transcripts import Step, normalize


def _rewrite(text: str, examples: list[dict[str, Any]]) -> str:
    """The block with each failing example's expected output replaced by its actual output."""
    lines = text.splitlines()
    out: list[str] = []
    pos = 0
    for ex in examples:
        start = ex["lineno"]
        n_src = ex["source"].count("\n") or 1
        n_want = ex["want"].count("\n")
        out.extend(lines[pos : start + n_src])
        if ex["ok"]:
            out.extend(lines[start + n_src : start + n_src + n_want])
        else:
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            out.extend(indent + g if g else "<BLANKLINE>" for g in ex["got"].splitlines())
        pos = start + n_src + n_want
    out.extend(lines[pos:])
    return "".join(x + "\n" for x in out)


class PyconRunner:
    def run(self, block: Block, ctx: SessionContext) -> Outcome:
        reply = ctx.python().request(
            {"op": "pycon", "text": block.text, "filename": block.path, "lineno": block.line},
            timeout=block.timeout,
        )
        if reply["error"]:
            return failed(
                block, "the block could not be run", diff=reply["error"], stderr=reply["stderr"]
            )
        if not reply["examples"]:
            return failed(block, "a pycon block needs at least one `>>> ` example")
        if reply["ok"]:
            return passed(
                block,
                tuple(
                    Step(ex["source"], normalize(ex["got"], ctx.workdir))
                    for ex in reply["examples"]
                ),
            )
        new_text = _rewrite(block.text, reply["examples"])
        bad = next(ex for ex in reply["examples"] if not ex["ok"])
        line = block.line + 1 + bad["lineno"]
        return failed(
            block,
            f"output differs (first at line {line})",
            diff=unified_diff(block.text, new_text, block),
            stderr=reply["stderr"],
            new_text=new_text,
        )
