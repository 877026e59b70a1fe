"""Rules the API server enforces that the OpenAPI schema cannot express.

The schema says a name is a string, an image optional and ``imagePullPolicy`` any string; the
API server also wants a DNS name, an image in every container, one of three pull policies, a
selector matching the pod template, quantities that parse, mounts that name a volume. These are
the mistakes a post makes that ``kubectl apply`` would refuse. Run after the schema passed, so
every field has the type the schema promises; the rules themselves live by Go type in
``podrules.py`` and ``objectrules.py`` and are found by walking the object with its schema
(``walk.py``).
"""

from __future__ import annotations

from typing import Any

from hooks.validators import objectrules, podrules
from hooks.validators.base import Problem
from hooks.validators.walk import Findings, walk
from hooks.validators.yamlnodes import Document

_WORKLOADS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}


def check(document: Document, kind: str, definition: str) -> list[Problem]:
    data = document.data
    claims = frozenset()
    if kind == "StatefulSet":
        templates = (data.get("spec") or {}).get("volumeClaimTemplates") or []
        claims = frozenset(
            (t.get("metadata") or {}).get("name") for t in templates if isinstance(t, dict)
        )
    findings = Findings(document, kind, owner_volumes=claims)
    objectrules.top_level(findings, data)
    walk(findings, definition, data, _visit)
    problems = findings.problems
    if kind in _WORKLOADS:
        problems += _selector(document, kind)
    return problems


def _visit(findings: Findings, definition: str, value: Any, path: tuple) -> None:
    rule = podrules.RULES.get(definition)
    if rule is not None:
        rule(findings, value, path)


def _selector(document: Document, kind: str) -> list[Problem]:
    """``ValidateDeploymentSpec`` & co: the selector selects the pod template's labels."""
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
