"""``test="check"`` blocks: validated without executing, one page at a time in page order.

The validators themselves live in ``hooks/validators`` (Kubernetes schemas, kind config, CRDs,
shellcheck, ...); this room only feeds them a page's blocks in order, with one validation
context per page so a custom resource can be checked against a CRD shown earlier on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

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
    unrunnable: Mapping[str, str] | None = None,
) -> dict[str, Outcome]:
    """Outcomes of one page's check blocks (given in page order).

    Blocks in ``unrunnable`` (run blocks this run cannot execute: id -> why) are checked
    statically in their place on the page (``validate_unrunnable``).
    """
    from hooks import validators

    context = validators.ValidationContext()
    outcomes: dict[str, Outcome] = {}
    for block in blocks:
        if unrunnable and block.id in unrunnable:
            static = validate_unrunnable(block, context, unrunnable[block.id])
            if static is not None:
                outcomes[block.id] = static
            continue
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


# -- blocks this run cannot execute (requires= a tool that is missing) -----------------------
_HEREDOC = re.compile(r"<<(-?)[ \t]*(['\"]?)([A-Za-z_][\w-]*)\2")
_MANIFEST = re.compile(r"^(apiVersion|kind):", re.MULTILINE)
_STDIN_APPLY = re.compile(r"\bkubectl\b.*\b(apply|create|replace)\b.*-f\s*-(\s|$)")
#: the language a static check reads each kind of block as
_STATIC_LANGUAGE = {"console": "console", "shell": "bash", "python": "python"}


def _commands(block: Block) -> list[tuple[int, list[str]]]:
    """(first line within the block, lines) of each command; a bash block is one command."""
    if block.kind != "console":
        return [(1, block.text.splitlines())]
    out: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(block.text.splitlines(), start=1):
        if line.startswith("$ ") or line == "$":
            current = [line[2:]]
            out.append((number, current))
        elif current is not None and (line.startswith("> ") or line == ">"):
            current.append(line[2:])
        else:
            current = None
    return out


def embedded_manifests(block: Block) -> list[tuple[int, str]]:
    """(line within the block, YAML) of each manifest a command feeds to kubectl inline.

    A heredoc whose body looks like a Kubernetes object (``apiVersion:``/``kind:``), or any
    heredoc of a ``kubectl apply/create/replace -f -`` command.
    """
    found: list[tuple[int, str]] = []
    for first, lines in _commands(block):
        i = 0
        while i < len(lines):
            m = _HEREDOC.search(lines[i])
            if not m:
                i += 1
                continue
            strip_tabs, word = m.group(1) == "-", m.group(3)
            body: list[str] = []
            j = i + 1
            while j < len(lines) and (lines[j].lstrip("\t") if strip_tabs else lines[j]) != word:
                body.append(lines[j].lstrip("\t") if strip_tabs else lines[j])
                j += 1
            text = "".join(x + "\n" for x in body)
            stdin_apply = _STDIN_APPLY.search(lines[i])
            if _MANIFEST.search(text) or stdin_apply:
                found.append((first + i + 1, text))
            i = j + 1
    return found


def validate_unrunnable(block: Block, context: Any, why: str) -> Outcome | None:
    """Check a block that cannot run here the way ``test="check"`` would; None: nothing to check.

    Console and bash: ``bash -n`` and shellcheck of the commands, then every inline manifest
    against the Kubernetes schemas (and the page's CRDs); python: it compiles.
    """
    from hooks import validators

    language = _STATIC_LANGUAGE.get(block.kind)
    if language is None:
        return None
    try:
        checked = validators.check_block(language, block.text, context)
        problems = [_problem_text(block, p) for p in checked]
        for line, manifest in embedded_manifests(block):
            for p in validators.check_block("yaml", manifest, context):
                at = getattr(p, "line", 0) or 0
                message = getattr(p, "message", None) or str(p)
                problems.append(f"line {block.line + line + max(at, 1) - 1}: manifest: {message}")
    except (ValueError, ToolMissingError) as exc:
        return Outcome(block.id, "failed", message=str(exc))
    if problems:
        many = f" ({len(problems)} problems, all listed below)" if len(problems) > 1 else ""
        return Outcome(
            block.id,
            "failed",
            message=f"cannot run here ({why}) and its check failed{many}: {problems[0]}",
            diff="\n".join(problems) if many else "",
        )
    return Outcome(block.id, "skipped", reason=why, validated=True)
