"""CustomResourceDefinitions (apiextensions.k8s.io/v1) -> JSON Schemas for their objects.

A CRD's ``openAPIV3Schema`` is structural OpenAPI v3. The API server prunes (and, with strict
field validation, rejects) fields a schema does not declare, unless a node says
``x-kubernetes-preserve-unknown-fields: true``; ``x-kubernetes-int-or-string`` accepts both;
``nullable`` admits null. JSON Schema knows none of these, so they are translated here, with
``additionalProperties: false`` on every structural object that does not preserve unknowns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hooks.validators.base import CustomResourceSchema
from hooks.validators.kubernetes import OBJECT_META_REF

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
_COMBINATORS = ("allOf", "anyOf", "oneOf")
_DROPPED = {"description", "example", "externalDocs", "nullable", "default", "$schema", "id"}


def convert(node: Mapping[str, Any], *, structural: bool = True) -> dict[str, Any]:
    """One OpenAPI v3 (CRD dialect) schema node as JSON Schema (draft 2020-12)."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {
                k: convert(v, structural=structural)
                for k, v in value.items()
                if isinstance(v, Mapping)
            }
        elif key == "items" and isinstance(value, Mapping):
            out[key] = convert(value, structural=structural)
        elif key == "additionalProperties":
            out[key] = (
                convert(value, structural=structural) if isinstance(value, Mapping) else value
            )
        elif key in _COMBINATORS and isinstance(value, list):
            out[key] = [convert(v, structural=False) for v in value if isinstance(v, Mapping)]
        elif key == "not" and isinstance(value, Mapping):
            out[key] = convert(value, structural=False)
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in node:
                out[key] = node[bound]
        elif key.startswith("x-kubernetes-") or key in _DROPPED:
            continue
        else:
            out[key] = value
    for key in ("exclusiveMinimum", "exclusiveMaximum"):
        bound = "minimum" if key == "exclusiveMinimum" else "maximum"
        if node.get(key) is True:
            out.pop(bound, None)
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    is_object = out.get("type") == "object" or (
        isinstance(out.get("type"), list) and "object" in out["type"]
    )
    if (
        structural
        and (is_object or "properties" in out)
        and not node.get("x-kubernetes-preserve-unknown-fields")
        and "additionalProperties" not in node
    ):
        if node.get("x-kubernetes-embedded-resource"):
            props = out.setdefault("properties", {})
            props.setdefault("apiVersion", {"type": "string"})
            props.setdefault("kind", {"type": "string"})
            props.setdefault("metadata", {"type": "object"})
        out["additionalProperties"] = False
    return out


def object_schema(open_api_v3: Mapping[str, Any]) -> dict[str, Any]:
    """The schema of a whole custom object: its CRD's schema plus apiVersion, kind, metadata."""
    schema = convert(open_api_v3)
    schema.setdefault("type", "object")
    properties = schema.setdefault("properties", {})
    declared_meta = open_api_v3.get("properties", {}).get("metadata")
    meta: dict[str, Any] = {"$ref": OBJECT_META_REF}
    if isinstance(declared_meta, Mapping):
        meta = {"allOf": [meta, convert(declared_meta, structural=False)]}
    properties["metadata"] = meta
    properties["apiVersion"] = {"type": "string"}
    properties["kind"] = {"type": "string"}
    return schema


def custom_resources(crd: Mapping[str, Any]) -> Iterator[CustomResourceSchema]:
    """One schema per served version of a CRD object (nothing when the CRD is unusable)."""
    spec = crd.get("spec")
    if not isinstance(spec, Mapping):
        return
    group = spec.get("group")
    names = spec.get("names")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    versions = spec.get("versions")
    if not isinstance(group, str) or not isinstance(kind, str) or not isinstance(versions, list):
        return
    for version in versions:
        if not isinstance(version, Mapping) or version.get("served") is False:
            continue
        name = version.get("name")
        schema = version.get("schema")
        open_api = schema.get("openAPIV3Schema") if isinstance(schema, Mapping) else None
        if isinstance(name, str) and isinstance(open_api, Mapping):
            yield CustomResourceSchema(group, name, kind, object_schema(open_api))
