"""``test="check"`` blocks: validated without executing, one page at a time in page order.

The validators themselves live in ``hooks/validators`` (Kubernetes schemas, kind config, CRDs,
shellcheck, ...); this room only feeds them a page's blocks in order, with one validation
context per page so a custom resource can be checked against a CRD shown earlier on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hooks.errors import ToolMissingError
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.requirements import missing_requirement, tool_available


def _problem_text(block: Block, problem: object) -> str:
    line = getattr(problem, "line", None)
    message = getattr(problem, "message", None) or str(problem)
    if isinstance(line, int) and line > 0:
        return f"line {block.line + line}: {message}"
    return str(message)


def check_page(
    blocks: Sequence[Block],
    *,
    network_allowed: bool = False,
    available: Callable[[str], bool] = tool_available,
) -> dict[str, Outcome]:
    """Outcomes of one page's check blocks (given in page order)."""
    from hooks import validators

    context = validators.ValidationContext()
    outcomes: dict[str, Outcome] = {}
    for block in blocks:
        why = missing_requirement(block, network_allowed, available)
        if why:
            outcomes[block.id] = Outcome(block.id, "skipped", reason=why)
            continue
        try:
            problems = validators.check_block(block.lang.lower(), block.text, context)
        except (ValueError, ToolMissingError) as exc:
            outcomes[block.id] = Outcome(block.id, "failed", message=str(exc))
            continue
        if problems:
            texts = [_problem_text(block, p) for p in problems]
            many = f" ({len(texts)} problems, all listed below)" if len(texts) > 1 else ""
            outcomes[block.id] = Outcome(
                block.id,
                "failed",
                message=f"{block.lang} is not valid{many}: {texts[0]}",
                diff="\n".join(texts) if many else "",
            )
        else:
            outcomes[block.id] = Outcome(block.id, "passed")
    return outcomes
