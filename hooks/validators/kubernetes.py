"""Built-in Kubernetes objects, validated offline against one pinned Kubernetes version.

The schemas are the strict JSON Schemas bundled with the ``kubernetes-validate`` package (every
object has ``additionalProperties: false``, so a misspelt field is an error, as it is for
``kubectl apply`` with server-side field validation). The version is pinned in one constant so a
package upgrade never silently changes what the posts are checked against.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from importlib import resources
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema

#: The Kubernetes minor version every manifest is checked against (newest bundled by
#: kubernetes-validate 1.37.0; raise it together with that package in requirements.in).
KUBERNETES_VERSION = "1.37"
DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"
OBJECT_META_REF = f"{DEFINITIONS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> ``("apps", "v1")``; the core group ``v1`` -> ``("", "v1")``."""
    group, _, version = api_version.rpartition("/")
    return group, version


@functools.cache
def _definitions() -> dict[str, Any]:
    folder = resources.files("kubernetes_validate") / "kubernetes-json-schema"
    path = folder / f"v{KUBERNETES_VERSION}.0-local-strict" / "_definitions.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuntimeError(
            f"kubernetes-validate has no schemas for Kubernetes {KUBERNETES_VERSION}; "
            "update KUBERNETES_VERSION in hooks/validators/kubernetes.py with the package"
        ) from None


@functools.cache
def registry() -> referencing.Registry:
    """The Kubernetes definitions, so any schema can ``$ref`` them (CRDs use ObjectMeta)."""
    resource = referencing.Resource.from_contents(
        _definitions(), default_specification=referencing.jsonschema.DRAFT202012
    )
    return referencing.Registry().with_resource(DEFINITIONS_ID, resource)


@functools.cache
def _kinds() -> dict[tuple[str, str, str], str]:
    """(group, version, kind) -> definition name, for every kind the API serves."""
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in _definitions()["$defs"].items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            index[(gvk["group"], gvk["version"], gvk["kind"])] = name
    return index


@functools.cache
def _api_versions_by_kind() -> dict[str, list[str]]:
    versions: dict[str, list[str]] = defaultdict(list)
    for group, version, kind in _kinds():
        versions[kind].append(f"{group}/{version}" if group else version)
    return {k: sorted(v) for k, v in versions.items()}


def served_api_versions(kind: str) -> list[str]:
    """The apiVersions serving ``kind`` in the pinned version (for "did you mean" hints)."""
    return _api_versions_by_kind().get(kind, [])


def definition(api_version: str, kind: str) -> str | None:
    """The schema definition of a built-in kind (``io.k8s.api.apps.v1.Deployment``)."""
    group, version = split_api_version(api_version)
    return _kinds().get((group, version, kind))


@functools.cache
def validator(api_version: str, kind: str) -> jsonschema.protocols.Validator | None:
    """A strict validator for a built-in kind, or None when the pinned version has no such kind."""
    name = definition(api_version, kind)
    if name is None:
        return None
    schema = {"$ref": f"{DEFINITIONS_ID}#/$defs/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry())
