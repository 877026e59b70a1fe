"""A built-in object walked together with its schema, so rules attach to Go types, not paths.

The API server validates by type: ``validateContainer`` runs for every container, wherever it
sits (a Pod, a Deployment's template, a CronJob's job template). Walking the object alongside
the pinned version's schema tells each node's definition (``io.k8s.api.core.v1.Container``),
so a rule written once for a type applies everywhere that type appears. The walk also checks
what the schema states as a ``format`` but JSON Schema does not enforce: ``int32``/``int64``
ranges (``replicas: 3000000000`` fails to decode) and base64 ``byte`` fields (Secret data).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hooks.validators.base import Problem
from hooks.validators.kubernetes import _definitions
from hooks.validators.schemaerrors import format_path
from hooks.validators.yamlnodes import Document, Path

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass
class Findings:
    """The problems of one object, worded like the API server's field errors."""

    document: Document
    kind: str
    problems: list[Problem] = field(default_factory=list)
    #: volumes a pod template gets from its owner (a StatefulSet's volumeClaimTemplates)
    owner_volumes: frozenset[str] = frozenset()

    def add(self, path: Path, message: str) -> None:
        self.problems.append(
            Problem(self.document.line(path), f"{format_path(self.kind, path)}: {message}")
        )

    def required(self, path: Path, detail: str = "") -> None:
        self.add(path, "Required value" + (f": {detail}" if detail else ""))

    def invalid(self, path: Path, value: Any, detail: str) -> None:
        self.add(path, f"Invalid value: {shown(value)}: {detail}")

    def invalid_all(self, path: Path, value: Any, details: list[str]) -> None:
        if details:
            self.invalid(path, value, "; ".join(details))

    def unsupported(self, path: Path, value: Any, choices: tuple[str, ...]) -> None:
        listed = ", ".join(f'"{c}"' for c in choices)
        self.add(path, f"Unsupported value: {shown(value)}: supported values: {listed}")

    def forbidden(self, path: Path, detail: str) -> None:
        self.add(path, f"Forbidden: {detail}")

    def duplicate(self, path: Path, value: Any) -> None:
        self.add(path, f"Duplicate value: {shown(value)}")

    def enum(self, mapping: Mapping[str, Any], key: str, path: Path, choices: tuple[str, ...]):
        """``field.NotSupported`` unless ``mapping[key]`` is absent, empty or one of ``choices``."""
        value = mapping.get(key)
        if value not in (None, "") and value not in choices:
            self.unsupported((*path, key), value, choices)

    def non_negative(self, mapping: Mapping[str, Any], key: str, path: Path) -> None:
        """``ValidateNonnegativeField``."""
        value = mapping.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            self.invalid((*path, key), value, "must be greater than or equal to 0")


def shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + '..."'


Visitor = Callable[[Findings, str, Any, Path], None]


@functools.cache
def _defs() -> dict[str, Any]:
    return _definitions()["$defs"]


def walk(findings: Findings, definition: str, value: Any, visit: Visitor) -> None:
    """Visit every typed node of ``value`` (an object of ``definition``), formats checked."""
    _walk(findings, {"$ref": f"#/$defs/{definition}"}, value, (), visit)


def _walk(findings: Findings, node: Mapping[str, Any], value: Any, path: Path, visit: Visitor):
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        node = _defs().get(name, {})
        if value is not None:
            visit(findings, name, value, path)
    if value is None:
        return
    fmt = node.get("format")
    if fmt in _RANGES and isinstance(value, int) and not isinstance(value, bool):
        low, high = _RANGES[fmt]
        if not low <= value <= high:
            findings.invalid(path, value, f"does not fit in an {fmt} (from {low} to {high})")
    elif fmt == "byte" and isinstance(value, str) and not _is_base64(value):
        findings.invalid(
            path,
            value,
            "illegal base64 data (this field holds base64; Secret's stringData takes plain text)",
        )
    if isinstance(value, Mapping):
        properties = node.get("properties") or {}
        additional = node.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key)
            if sub is None and isinstance(additional, Mapping):
                sub = additional
            if isinstance(sub, Mapping):
                _walk(findings, sub, item, (*path, key), visit)
    elif isinstance(value, list):
        items = node.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(value):
                _walk(findings, items, item, (*path, index), visit)


def _is_base64(text: str) -> bool:
    """Go's ``base64.StdEncoding`` as ``encoding/json`` uses it: padded, newlines ignored."""
    compact = text.replace("\r", "").replace("\n", "")
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
