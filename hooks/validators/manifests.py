"""``yaml`` blocks: every document is a Kubernetes object, a kind config, a configuration file
or a custom resource.

- built-in kinds: the pinned Kubernetes version's strict schema (``kubernetes.py``), then the
  API server's own rules (``semantics.py``);
- ``kind.x-k8s.io/v1alpha4`` ``Cluster``: kind's config schema (``kind_config.py``);
- configuration files (kubelet, kubeadm, audit, kubeconfig, Kustomization, ...): recognised by
  apiVersion and kind, never "unknown" (``configfiles.py``);
- anything else: the CRD for its group, version and kind that appeared earlier on the page
  (``crd.py``), or an error: an unknown kind is a typo or a missing CRD, never silently fine.
Every object needs ``metadata.name`` (or ``generateName``) as the API server does, except the
create-only review kinds; a ``v1`` ``List`` is checked item by item, as kubectl applies it.
Each document is checked on its own: an internal error in one becomes a problem on its first
line (a bug in the validator, said so), never an exception that stops the build.
"""

from __future__ import annotations

import traceback
from typing import Any

from hooks.validators import (
    configfiles,
    crd,
    kind_config,
    kubernetes,
    names,
    objectrules,
    semantics,
)
from hooks.validators.base import Problem, ValidationContext, clamp_line
from hooks.validators.schemaerrors import explain, format_path
from hooks.validators.yamlnodes import Document, load_documents

LANGUAGES = frozenset({"yaml"})

#: APIs removed from Kubernetes, with what replaced them (the "deprecated API migration guide").
REMOVED_KINDS = {
    "PodSecurityPolicy": "removed in Kubernetes 1.25; use Pod Security Admission (namespace "
    "labels pod-security.kubernetes.io/enforce) instead",
}
REMOVED_API_VERSIONS = {
    "extensions/v1beta1": "extensions/v1beta1 was removed (Deployment, DaemonSet, ReplicaSet "
    "in 1.16, Ingress in 1.22)",
    "apps/v1beta1": "apps/v1beta1 was removed in 1.16",
    "apps/v1beta2": "apps/v1beta2 was removed in 1.16",
    "batch/v1beta1": "batch/v1beta1 was removed in 1.25",
    "policy/v1beta1": "policy/v1beta1 was removed in 1.25",
    "networking.k8s.io/v1beta1": "networking.k8s.io/v1beta1 Ingress was removed in 1.22",
    "autoscaling/v2beta1": "autoscaling/v2beta1 was removed in 1.25",
    "autoscaling/v2beta2": "autoscaling/v2beta2 was removed in 1.26",
    "apiextensions.k8s.io/v1beta1": "apiextensions.k8s.io/v1beta1 was removed in 1.22",
    "rbac.authorization.k8s.io/v1beta1": "rbac.authorization.k8s.io/v1beta1 was removed in 1.22",
}
BUG = (
    "internal error in the validator (a bug in hooks/validators, not in this block; "
    "please report it)"
)


def check(text: str, context: ValidationContext, *, language: str = "yaml") -> list[Problem]:
    try:
        documents, problems = load_documents(text)
    except Exception as exc:  # the parser's own bug must not stop the build
        return [Problem(1, _bug(exc))]
    for document in documents:
        problems += document.problems
        try:
            problems += check_document(document, context)
        except Exception as exc:  # one document's bug is reported, not raised
            problems.append(Problem(document.start, _bug(exc)))
    if not documents and not problems:
        problems.append(Problem(1, "no YAML document to check"))
    return sorted({Problem(clamp_line(p.line, text), p.message) for p in problems})


def _bug(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return f"{BUG}: {type(exc).__name__}: {exc}{at}"


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
    definition = kubernetes.definition(api_version, kind)
    if definition is not None:
        return _builtin(document, context, kind, definition)
    if configfiles.program(api_version, kind) is not None:
        return configfiles.check(document, context.notes)
    group, version = kubernetes.split_api_version(api_version)
    custom = context.custom_resource(group, version, kind)
    if custom is not None:
        nulls: list[tuple] = []
        pruned = Document(
            data=crd.prune_nulls(data, custom.structural, (), nulls),
            start=document.start,
            lines=document.lines,
        )
        problems = explain(crd.validator(custom.schema).iter_errors(pruned.data), pruned, kind)
        problems = [_pruned_hint(p, kind, nulls, pruned) for p in problems]
        problems += _name(pruned, kind)
        metadata = pruned.data.get("metadata")
        # customresource/validator.go: ValidateObjectMetaAccessor(..., NameIsDNSSubdomain, ...)
        if not problems and isinstance(metadata, dict):
            from hooks.validators.walk import Findings

            findings = Findings(pruned, kind)
            objectrules.object_meta(
                findings, metadata, ("metadata",), name_fn=names.name_is_dns_subdomain
            )
            problems = findings.problems
        return problems
    message = configfiles.unknown_kind(api_version, kind) or _unknown_kind(api_version, kind)
    return [Problem(document.line(("kind",)), message)]


def _pruned_hint(problem: Problem, kind: str, nulls: list[tuple], document: Document) -> Problem:
    """A required field given as null: say that the API server pruned it, or the message
    ("missing") contradicts what the author sees (``spec:`` with nothing after it)."""
    for path in nulls:
        if (
            problem.message
            == f'{format_path(kind, path[:-1])}: missing required field "{path[-1]}"'
        ):
            return Problem(
                document.line(path),
                f"{problem.message} (it is null here, and the API server prunes a null whose "
                "schema is not nullable before validating: give it a value, e.g. {})",
            )
    return problem


def _builtin(
    document: Document, context: ValidationContext, kind: str, definition: str
) -> list[Problem]:
    data = document.data
    validator = kubernetes.validator(data["apiVersion"], kind)
    problems = explain(validator.iter_errors(data), document, kind) + _name(document, kind)
    if not problems:
        problems = semantics.check(document, kind, definition)
    if (data["apiVersion"], kind) == (crd.CRD_API_VERSION, crd.CRD_KIND) and not problems:
        problems = crd.problems(document)
        if not problems:
            _register(data, context)
    return problems


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
    if kind.endswith("List") or kind in objectrules.NAMELESS:
        return []  # lists carry ListMeta; review objects are created, never stored or named
    metadata: Any = document.data.get("metadata")
    if isinstance(metadata, dict) and (metadata.get("name") or metadata.get("generateName")):
        return []
    path = ("metadata",) if isinstance(metadata, dict) else ()
    return [Problem(document.line(path), f'{kind}.metadata: missing required field "name"')]


def _register(data: dict[str, Any], context: ValidationContext) -> None:
    for resource in crd.custom_resources(data):
        context.add_custom_resource(resource)


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
    elif kind in REMOVED_KINDS:
        message += f" ({kind} was {REMOVED_KINDS[kind]})"
    if api_version in REMOVED_API_VERSIONS and not served:
        message += f" ({REMOVED_API_VERSIONS[api_version]})"
    return message
