"""Rules the API server enforces that the OpenAPI schema cannot express.

The schema says a name is a string; the API server also wants it to be a DNS name, wants a
Deployment's selector to match its pod template, and container port names short enough for
a Service to refer to. These are the mistakes a post makes that ``kubectl apply`` would refuse.
Run after the schema passed, so every field has the type the schema promises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hooks.validators.base import Problem
from hooks.validators.schemaerrors import format_path
from hooks.validators.yamlnodes import Document, Path

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")  # RFC 1123 label
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")

#: kind -> (rule, max length, wording) for metadata.name; kinds not listed accept other names
#: (RBAC objects take ``system:...``) and are left alone.
_NAME_RULES: dict[str, tuple[re.Pattern[str], int, str]] = {
    "Namespace": (_LABEL, 63, "a DNS label (lowercase letters, digits, '-')"),
    "Service": (_DNS1035, 63, "a DNS-1035 label (starts with a letter; lowercase, digits, '-')"),
}
for _kind in (
    "Pod",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "ServiceAccount",
    "Ingress",
    "NetworkPolicy",
    "CustomResourceDefinition",
):
    _NAME_RULES[_kind] = (_SUBDOMAIN, 253, "a DNS subdomain (lowercase letters, digits, '-', '.')")
_NAME_RULES["CronJob"] = (_SUBDOMAIN, 52, "a DNS subdomain of at most 52 characters")

_WORKLOADS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}


def check(document: Document, kind: str) -> list[Problem]:
    data = document.data
    problems = _name(document, kind)
    if kind in _WORKLOADS:
        problems += _selector(document, kind)
    for path, pod_spec in _pod_specs(data, kind):
        problems += _containers(document, kind, path, pod_spec)
    return problems


def _name(document: Document, kind: str) -> list[Problem]:
    rule = _NAME_RULES.get(kind)
    metadata = document.data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if rule is None or not isinstance(name, str):
        return []
    pattern, limit, wording = rule
    if pattern.match(name) and len(name) <= limit:
        return []
    return [
        Problem(
            document.line(("metadata", "name")),
            f'{kind}.metadata.name: "{name}" is not {wording}, at most {limit} characters',
        )
    ]


def _selector(document: Document, kind: str) -> list[Problem]:
    spec = document.data.get("spec") or {}
    wanted = (spec.get("selector") or {}).get("matchLabels") or {}
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if not isinstance(wanted, dict) or not isinstance(labels, dict):
        return []
    missing = {k: v for k, v in wanted.items() if labels.get(k) != v}
    if not missing:
        return []
    shown = ", ".join(f"{k}={v}" for k, v in missing.items())
    return [
        Problem(
            document.line(("spec", "selector", "matchLabels")),
            f"{kind}.spec.selector: matchLabels {shown} not among the pod template's labels "
            "(the API server refuses a selector that does not match its template)",
        )
    ]


def _pod_specs(data: dict[str, Any], kind: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if kind == "Pod":
        yield ("spec",), spec
    elif kind in _WORKLOADS or kind == "Job":
        template = (spec.get("template") or {}).get("spec")
        if isinstance(template, dict):
            yield ("spec", "template", "spec"), template
    elif kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        template = (job.get("template") or {}).get("spec")
        if isinstance(template, dict):
            yield ("spec", "jobTemplate", "spec", "template", "spec"), template


def _containers(
    document: Document, kind: str, base: Path, pod_spec: dict[str, Any]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for index, container in enumerate(pod_spec.get(field) or []):
            if not isinstance(container, dict):
                continue  # the schema admits null entries; nothing to name-check
            path = (*base, field, index)
            name = container.get("name")
            where = format_path(kind, path)
            if isinstance(name, str):
                if not (_LABEL.match(name) and len(name) <= 63):
                    problems.append(
                        Problem(
                            document.line((*path, "name")),
                            f'{where}.name: "{name}" is not a DNS label (lowercase letters, '
                            "digits, '-', at most 63 characters)",
                        )
                    )
                if name in seen:
                    problems.append(
                        Problem(
                            document.line((*path, "name")),
                            f'{where}.name: "{name}" is used by another container of the pod',
                        )
                    )
                seen.setdefault(name, path)
            for port_index, port in enumerate(container.get("ports") or []):
                port_name = port.get("name") if isinstance(port, dict) else None
                if isinstance(port_name, str) and not _valid_port_name(port_name):
                    problems.append(
                        Problem(
                            document.line((*path, "ports", port_index, "name")),
                            f'{where}.ports[{port_index}].name: "{port_name}" is not a port '
                            "name (at most 15 lowercase letters, digits and single '-', "
                            "with at least one letter)",
                        )
                    )
    return problems


def _valid_port_name(name: str) -> bool:
    return (
        len(name) <= 15
        and bool(_PORT_NAME.match(name))
        and "--" not in name
        and any(c.isalpha() for c in name)
    )
