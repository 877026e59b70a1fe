"""What every language validator shares: the problem record, the page context, the contract.

A validator checks a code block without executing it (``test="check"``). Each language lives in
its own small module exposing ``LANGUAGES`` and ``check(text, context)``; ``hooks.validators``
dispatches by the fence's language. Problems carry a 1-based line within the block's text, so the
caller adds the block's first line in the Markdown source to report ``path:line``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class Problem:
    line: int  # 1-based within the block's text
    message: str


@dataclass(frozen=True)
class CustomResourceSchema:
    """One served version of a CustomResourceDefinition, as a JSON Schema for its objects."""

    group: str
    version: str
    kind: str
    schema: Mapping[str, Any]
    #: the CRD's own ``openAPIV3Schema`` (for pruning nulls as the API server does)
    structural: Mapping[str, Any] = field(default_factory=dict)
    namespaced: bool = True


@dataclass
class ValidationContext:
    """State shared by the blocks of one page, in page order: the CRDs seen so far.

    A custom resource validates against a CustomResourceDefinition that appeared earlier on the
    same page (the way a reader would apply them, top to bottom). ``notes`` collects outcomes
    that are not problems (a configuration file checked as YAML only), for a caller that wants
    to show them; ``check_block`` never fails a block for a note.
    """

    custom_resources: dict[tuple[str, str, str], CustomResourceSchema] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)

    def add_custom_resource(self, resource: CustomResourceSchema) -> None:
        self.custom_resources[(resource.group, resource.version, resource.kind)] = resource

    def custom_resource(self, group: str, version: str, kind: str) -> CustomResourceSchema | None:
        return self.custom_resources.get((group, version, kind))


class Checker(Protocol):
    def __call__(self, text: str, context: ValidationContext) -> list[Problem]: ...


def clamp_line(line: int, text: str) -> int:
    """Tools sometimes point one past the last line (``unexpected end of file``)."""
    last = max(1, len(text.splitlines()))
    return min(max(1, line), last)
