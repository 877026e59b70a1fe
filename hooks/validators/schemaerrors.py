"""JSON Schema errors turned into what an author can act on: path, line, plain words.

``jsonschema``'s own messages quote whole Python objects (a container spec, a list of types);
here an unknown field names the field and points at its line, a wrong type says what was
expected and what was found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import jsonschema

from hooks.validators.base import Problem
from hooks.validators.yamlnodes import Document, Path


def format_path(label: str, path: Path) -> str:
    text = label
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _shown(value: Any) -> str:
    kind = json_type(value)
    if kind in {"object", "array"}:
        return f"{'a mapping' if kind == 'object' else 'a list'}"
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{kind} {text}"


def _types(schema: Any) -> list[str]:
    """The non-null types a (sub)schema accepts, when it is a plain type or a oneOf of types."""
    if not isinstance(schema, dict):
        return []
    declared = schema.get("type")
    if declared is not None:
        names = declared if isinstance(declared, list) else [declared]
        return [n for n in names if n != "null"]
    found: list[str] = []
    for key in ("oneOf", "anyOf"):
        for sub in schema.get(key, []):
            found += [t for t in _types(sub) if t not in found]
    return found


def _unknown_fields(error: jsonschema.ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
    patterns = error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
    return [
        key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)
    ]


def explain(
    errors: Iterable[jsonschema.ValidationError], document: Document, label: str
) -> list[Problem]:
    """Problems for ``errors`` of ``document`` (``label`` starts each path, e.g. the kind)."""
    problems: list[Problem] = []
    for error in errors:
        path: Path = tuple(error.absolute_path)
        where = format_path(label, path)
        if error.validator in ("additionalProperties", "unevaluatedProperties") and (
            error.validator_value is False
        ):
            for name in _unknown_fields(error) or ["?"]:
                line = document.line((*path, name))
                problems.append(Problem(line, f'{where}: unknown field "{name}"'))
            continue
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name not in present:
                    problems.append(
                        Problem(document.line(path), f'{where}: missing required field "{name}"')
                    )
            continue
        line = document.line(path)
        if error.validator == "type" or (
            error.validator in ("oneOf", "anyOf") and _types(error.schema)
        ):
            expected = " or ".join(_types(error.schema)) or str(error.validator_value)
            message = f"expected {expected}, got {_shown(error.instance)}"
        elif error.validator == "enum":
            choices = ", ".join(json.dumps(v) for v in error.validator_value if v is not None)
            message = f"must be one of {choices}, got {_shown(error.instance)}"
        elif error.validator in ("oneOf", "anyOf") and error.context:
            best = jsonschema.exceptions.best_match(error.context)
            message = best.message if best is not None else error.message
        else:
            message = error.message
        problems.append(Problem(line, f"{where}: {message}"))
    return sorted(set(problems))
