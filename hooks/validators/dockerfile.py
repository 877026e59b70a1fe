"""``dockerfile`` blocks: parsed with dockerfile-parse; instructions must be real ones.

BuildKit heredocs (``RUN <<EOF`` ... ``EOF``) are understood, so their bodies are not mistaken
for instructions.
"""

from __future__ import annotations

import io
import re

from dockerfile_parse import DockerfileParser

from hooks.validators.base import Problem, ValidationContext

LANGUAGES = frozenset({"dockerfile"})

#: https://docs.docker.com/reference/dockerfile/ (MAINTAINER is deprecated but still parsed)
INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")


def _heredoc_body_lines(text: str) -> set[int]:
    """0-based numbers of lines that belong to heredoc bodies (including the terminators)."""
    body: set[int] = set()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        words = lines[index].split(None, 1)
        instruction = words[0].upper() if words else ""
        markers = _HEREDOC.findall(lines[index]) if instruction in {"RUN", "COPY", "ADD"} else []
        index += 1
        for dash, _, name in markers:
            while index < len(lines):
                body.add(index)
                current = lines[index].lstrip("\t") if dash else lines[index]
                index += 1
                if current == name:
                    break
    return body


def check(text: str, context: ValidationContext, *, language: str = "dockerfile") -> list[Problem]:
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode()))
    try:
        structure = parser.structure
    except Exception as exc:  # the parser's errors are not a documented family
        return [Problem(1, f"Dockerfile does not parse: {exc}")]
    heredocs = _heredoc_body_lines(text)
    problems: list[Problem] = []
    first: str | None = None
    for item in structure:
        instruction = str(item["instruction"]).upper()
        line = int(item["startline"]) + 1
        if instruction == "COMMENT" or item["startline"] in heredocs:
            continue
        if instruction not in INSTRUCTIONS:
            problems.append(Problem(line, f"unknown Dockerfile instruction {instruction!r}"))
            continue
        if first is None:
            first = instruction
            if instruction not in {"FROM", "ARG"}:
                problems.append(
                    Problem(line, f"a Dockerfile must start with FROM (or ARG), not {instruction}")
                )
        if not str(item["value"]).strip():
            problems.append(Problem(line, f"{instruction} needs an argument"))
        elif instruction == "ONBUILD":
            trigger = str(item["value"]).split(None, 1)[0].upper()
            if trigger not in INSTRUCTIONS - {"ONBUILD", "FROM", "MAINTAINER"}:
                problems.append(Problem(line, f"ONBUILD cannot trigger {trigger!r}"))
    if first is None:
        problems.append(Problem(1, "a Dockerfile needs at least a FROM instruction"))
    return problems
