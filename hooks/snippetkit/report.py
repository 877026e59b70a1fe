"""What a person reads about a run: one report per failure, and one summary line.

A failure names the opening fence's ``path:LINE``, the block's kind and session, then the
evidence: a unified diff of expected vs actual output, or the last lines of the exception, then
the tail of what the block printed and of stderr. The same text goes to the terminal, to the
MkDocs log and to pytest.
"""

from __future__ import annotations

from collections.abc import Iterable

from hooks.errors import SourceError
from hooks.snippetkit.model import Block, Outcome

_UPDATABLE = ("console", "pycon")


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.splitlines())


def failure_message(block: Block, outcome: Outcome) -> str:
    """Everything after ``path:line: `` in a failure report (first line is the summary)."""
    head = f'{block.kind} block (session "{block.session}") failed: {outcome.message}'
    if block.kind in _UPDATABLE and outcome.new_text is not None:
        head += f"; if the new output is right, run: python -m hooks snippets --update {block.path}"
    parts = [head]
    if outcome.diff:
        parts.append(_indent(outcome.diff))
    if outcome.output:
        parts.append("    output (last lines):")
        parts.append(_indent(outcome.output, "      "))
    if outcome.stderr:
        parts.append("    stderr (last lines):")
        parts.append(_indent(outcome.stderr, "      "))
    return "\n".join(parts)


def failure_error(block: Block, outcome: Outcome) -> SourceError:
    """The failure as the project's one error type, for ``REPORT.error``."""
    return SourceError(block.path, block.line, failure_message(block, outcome))


def tally_name(block: Block, outcome: Outcome) -> str:
    """The job-summary counter this outcome adds to (``hooks/ghactions.py`` columns)."""
    if outcome.failed:
        return "blocks failed"
    if outcome.status == "skipped":
        return "blocks skipped"
    return "blocks validated" if block.test == "check" else "blocks ran"


def format_failure(block: Block, outcome: Outcome) -> str:
    return str(failure_error(block, outcome))


def summary_line(passed: int, failed: int, skipped: int, from_cache: int) -> str:
    return (
        f"snippets: {passed} passed, {failed} failed, {skipped} skipped ({from_cache} from cache)"
    )


def summarize(outcomes: Iterable[Outcome], extra_failures: int = 0) -> str:
    """The summary line; ``extra_failures`` counts option errors found before running."""
    counts = {"passed": 0, "failed": extra_failures, "skipped": 0}
    cached = 0
    for o in outcomes:
        counts[o.status] += 1
        cached += o.from_cache
    return summary_line(counts["passed"], counts["failed"], counts["skipped"], cached)
