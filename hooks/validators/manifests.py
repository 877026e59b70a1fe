"""``yaml`` blocks: every document is a Kubernetes object, a kind config or a custom resource.

- built-in kinds: the pinned Kubernetes version's strict schema (``kubernetes.py``);
- ``kind.x-k8s.io/v1alpha4`` ``Cluster``: kind's config schema (``kind_config.py``);
- anything else: the CRD for its group, version and kind that appeared earlier on the page
  (``crd.py``), or an error: an unknown kind is a typo or a missing CRD, never silently fine.
Every object needs ``metadata.name`` (or ``generateName``), as the API server does, and built-in
objects follow its naming and selector rules (``semantics.py``); a ``v1``
``List`` is checked item by item, as kubectl applies it.
"""

from __future__ import annotations

from typing import Any

from hooks.validators import crd, kind_config, kubernetes, semantics
from hooks.validators.base import Problem, ValidationContext, clamp_line
from hooks.validators.schemaerrors import explain
from hooks.validators.yamlnodes import Document, load_documents

LANGUAGES = frozenset({"yaml"})


def check(text: str, context: ValidationContext, *, language: str = "yaml") -> list[Problem]:
    documents, problems = load_documents(text)
    for document in documents:
        problems += document.problems
        problems += check_document(document, context)
    if not documents and not problems:
        problems.append(Problem(1, "no YAML document to check"))
    return sorted({Problem(clamp_line(p.line, text), p.message) for p in problems})


def check_document(document: Document, context: ValidationContext) -> list[Problem]:
    data = document.data
    if not isinstance(data, dict):
        return [Problem(document.start, "a manifest is a mapping (apiVersion, kind, ...)")]
    missing = [key for key in ("apiVersion", "kind") if not isinstance(data.get(key), str)]
    if missing:
        fields = " and ".join(f'"{key}"' for key in missing)
        return [Problem(document.start, f"missing {fields}: every document needs both")]
    api_version, kind = data["apiVersion"], data["kind"]
    if (api_version, kind) == ("v1", "List"):
        return _list(document, context)
    if kind_config.is_kind_config(data):
        if kind != kind_config.KIND:
            return [
                Problem(
                    document.line(("kind",)),
                    f'unknown kind "{kind}" in {api_version} (kind configs are "Cluster")',
                )
            ]
        return kind_config.check(document)
    builtin = kubernetes.validator(api_version, kind)
    if builtin is not None:
        problems = explain(builtin.iter_errors(data), document, kind) + _name(document, kind)
        if not problems:
            problems = semantics.check(document, kind)
        if (api_version, kind) == (crd.CRD_API_VERSION, crd.CRD_KIND):
            _register(data, context)
        return problems
    group, version = kubernetes.split_api_version(api_version)
    custom = context.custom_resource(group, version, kind)
    if custom is not None:
        validator = kubernetes.custom_validator(dict(custom.schema))
        return explain(validator.iter_errors(data), document, kind) + _name(document, kind)
    return [Problem(document.line(("kind",)), _unknown_kind(api_version, kind))]


def _list(document: Document, context: ValidationContext) -> list[Problem]:
    """``kind: List`` (what ``kubectl get -o yaml`` prints): each item is an object of its own."""
    items = document.data.get("items")
    if not isinstance(items, list):
        return [Problem(document.line(("items",)), 'List: "items" must be a list of objects')]
    problems: list[Problem] = []
    for index, item in enumerate(items):
        prefix = ("items", index)
        view = Document(
            data=item,
            start=document.line(prefix),
            lines={path[2:]: line for path, line in document.lines.items() if path[:2] == prefix},
        )
        problems += check_document(view, context)
    return problems


def _name(document: Document, kind: str) -> list[Problem]:
    if kind.endswith("List"):
        return []  # lists carry ListMeta, which has no name
    metadata: Any = document.data.get("metadata")
    if isinstance(metadata, dict) and (metadata.get("name") or metadata.get("generateName")):
        return []
    path = ("metadata",) if isinstance(metadata, dict) else ()
    return [Problem(document.line(path), f'{kind}.metadata: missing required field "name"')]


def _register(data: dict[str, Any], context: ValidationContext) -> None:
    try:
        for resource in crd.custom_resources(data):
            context.add_custom_resource(resource)
    except (TypeError, AttributeError, ValueError):
        return  # a malformed CRD was reported by its own schema; nothing to register


def _unknown_kind(api_version: str, kind: str) -> str:
    message = (
        f'unknown kind "{kind}" in apiVersion "{api_version}": not a Kubernetes '
        f"{kubernetes.KUBERNETES_VERSION} kind and no CustomResourceDefinition for it earlier "
        "on this page"
    )
    served = kubernetes.served_api_versions(kind)
    if served:
        message += f" (Kubernetes {kubernetes.KUBERNETES_VERSION} serves {kind} as "
        message += ", ".join(served) + ")"
    return message
