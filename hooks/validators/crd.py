"""CustomResourceDefinitions (apiextensions.k8s.io/v1): refused as the API server refuses them,
and turned into JSON Schemas for their objects.

A CRD's ``openAPIV3Schema`` is structural OpenAPI v3. The API server prunes (and, with strict
field validation, rejects) fields a schema does not declare, unless a node says
``x-kubernetes-preserve-unknown-fields: true``; ``x-kubernetes-int-or-string`` accepts both;
``nullable`` admits null, and a null where the schema is not nullable is pruned before
validation. JSON Schema knows none of these, so they are translated here, with
``additionalProperties: false`` on every structural object that does not preserve unknowns, and
``pattern`` matched by RE2 (Go's syntax, ``goregex.py``).

``schema_problems`` ports the checks of ``ValidateCustomResourceDefinition`` in
``staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go``
and of ``validateStructuralInvariants``/``validateStructuralCompleteness`` in
``.../pkg/apiserver/schema/validation.go`` that a CRD in a post can get wrong: a CRD failing
them is reported at its line and never registered (its objects are then unknown kinds).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema

from hooks.validators import goregex, names
from hooks.validators.base import CustomResourceSchema, Problem
from hooks.validators.kubernetes import OBJECT_META_REF, registry
from hooks.validators.yamlnodes import Document, Path

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
_COMBINATORS = ("allOf", "anyOf", "oneOf")
_DROPPED = {"description", "example", "externalDocs", "nullable", "default", "$schema", "id"}
#: Keywords ValidateCustomResourceDefinitionOpenAPISchema forbids (validation.go), with its words.
_FORBIDDEN = {
    "uniqueItems": "uniqueItems cannot be set to true since the runtime complexity becomes "
    "quadratic",
    "additionalItems": "additionalItems is not supported",
    "patternProperties": "patternProperties is not supported",
    "dependencies": "dependencies is not supported",
    "$ref": "$ref is not supported",
    "definitions": "definitions are not supported",
    "id": "id is not supported",
    "$schema": "$schema is not supported",
}
_TYPES = {"object", "array", "string", "integer", "number", "boolean"}


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """JSON Schema ``pattern`` with Go's regexp syntax (a refused pattern was reported at the
    CRD, which is then never registered, so it cannot reach here)."""
    if not validator.is_type(instance, "string") or not isinstance(pattern, str):
        return
    try:
        matched = goregex.search(pattern, instance)
    except goregex.PatternError:
        return
    if not matched:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


CustomResourceValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _pattern}
)


def validator(schema: Mapping[str, Any]) -> jsonschema.protocols.Validator:
    return CustomResourceValidator(dict(schema), registry=registry())


# --- the CRD itself -------------------------------------------------------------------------


def problems(document: Document) -> list[Problem]:
    """What the API server refuses in a CRD whose fields already have the schema's types."""
    data = document.data
    spec = data.get("spec")
    if not isinstance(spec, Mapping):
        return []
    found: list[Problem] = []
    group, names_ = spec.get("group"), spec.get("names")
    plural = names_.get("plural") if isinstance(names_, Mapping) else None
    name = (data.get("metadata") or {}).get("name")
    # validation.go ValidateCustomResourceDefinition: the name is "<plural>.<group>".
    if (
        isinstance(plural, str)
        and isinstance(group, str)
        and isinstance(name, str)
        and name != f"{plural}.{group}"
    ):
        found.append(
            Problem(
                document.line(("metadata", "name")),
                f'CustomResourceDefinition.metadata.name: "{name}" must be '
                f'spec.names.plural+"."+spec.group ("{plural}.{group}")',
            )
        )
    # ValidateCustomResourceDefinitionSpec: the group is a DNS subdomain with at least one dot.
    if isinstance(group, str) and (names.dns_subdomain(group) or "." not in group):
        found.append(
            Problem(
                document.line(("spec", "group")),
                f'CustomResourceDefinition.spec.group: "{group}" should be a domain with at '
                "least one dot",
            )
        )
    versions = spec.get("versions")
    if isinstance(versions, list):
        storage = [v for v in versions if isinstance(v, Mapping) and v.get("storage") is True]
        if len(storage) != 1:
            found.append(
                Problem(
                    document.line(("spec", "versions")),
                    "CustomResourceDefinition.spec.versions: must have exactly one version "
                    "marked as storage version",
                )
            )
        for index, version in enumerate(versions):
            if not isinstance(version, Mapping):
                continue
            base: Path = ("spec", "versions", index, "schema", "openAPIV3Schema")
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            if schema is None:
                found.append(
                    Problem(
                        document.line(("spec", "versions", index)),
                        f"CustomResourceDefinition.spec.versions[{index}].schema."
                        "openAPIV3Schema: schemas are required",
                    )
                )
            elif isinstance(schema, Mapping):
                found += _schema_node(document, schema, base, where="root")
    return found


def _schema_node(document: Document, node: Mapping[str, Any], path: Path, *, where: str) -> list:
    """One node of a CRD schema; ``where`` is root, property, items, additional or value
    (inside allOf/anyOf/oneOf/not, where the structural rules do not require a type)."""
    found: list[Problem] = []

    def add(key: str | None, message: str) -> None:
        at = (*path, key) if key else path
        found.append(Problem(document.line(at), f"{_label(at)}: {message}"))

    for key, message in _FORBIDDEN.items():
        if key not in node:
            continue
        if key == "uniqueItems" and node[key] is not True:
            continue
        add(key, message)
    items = node.get("items")
    if isinstance(items, list):
        add("items", "items must be a schema object and not an array")
    elif items is not None and not isinstance(items, Mapping):
        add("items", "must be a schema object")
    # additionalProperties: true is allowed beside properties; false or a schema is not.
    additional = node.get("additionalProperties")
    if "properties" in node and (additional is False or isinstance(additional, Mapping)):
        add("additionalProperties", "additionalProperties and properties are mutual exclusive")
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        try:
            goregex.compile_pattern(pattern)
        except goregex.PatternError as exc:
            add("pattern", f"must be a valid regular expression, but isn't: {exc}")
    kind = node.get("type")
    open_ended = node.get("x-kubernetes-int-or-string") is True or (
        node.get("x-kubernetes-preserve-unknown-fields") is True
    )
    if where != "value":
        if kind is None and not open_ended:
            what = {"root": "at the root", "items": "for specified array items"}.get(
                where, "for specified object fields"
            )
            add("type", f"must not be empty {what}")
        if where == "root" and kind not in (None, "object"):
            add("type", 'must be "object" at the root')
    if isinstance(kind, str) and kind not in _TYPES:
        add("type", f'"{kind}" is not one of {", ".join(sorted(_TYPES))}')
    if node.get("x-kubernetes-int-or-string") is True and kind is not None:
        add("type", "must be empty when x-kubernetes-int-or-string is true")
    if kind == "array" and items is None and where != "value":
        add("items", "must be specified")
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            if isinstance(sub, Mapping):
                inner = "value" if where == "value" else "property"
                found += _schema_node(document, sub, (*path, "properties", name), where=inner)
    if isinstance(items, Mapping):
        found += _schema_node(
            document, items, (*path, "items"), where="value" if where == "value" else "items"
        )
    additional = node.get("additionalProperties")
    if isinstance(additional, Mapping):
        found += _schema_node(
            document,
            additional,
            (*path, "additionalProperties"),
            where="value" if where == "value" else "additional",
        )
    for key in _COMBINATORS:
        for index, sub in enumerate(node.get(key) or []):
            if isinstance(sub, Mapping):
                found += _schema_node(document, sub, (*path, key, index), where="value")
    if isinstance(node.get("not"), Mapping):
        found += _schema_node(document, node["not"], (*path, "not"), where="value")
    return found


def _label(path: Path) -> str:
    text = CRD_KIND
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


# --- its objects ----------------------------------------------------------------------------


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
        elif key == "items":
            if isinstance(value, Mapping):
                out[key] = convert(value, structural=structural)
        elif key == "additionalProperties":
            if isinstance(value, Mapping):
                out[key] = convert(value, structural=structural)
            elif isinstance(value, bool):
                out[key] = value
        elif key in _COMBINATORS:
            if isinstance(value, list):
                out[key] = [convert(v, structural=False) for v in value if isinstance(v, Mapping)]
        elif key == "not":
            if isinstance(value, Mapping):
                out[key] = convert(value, structural=False)
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value is True and bound in node:
                out[key] = node[bound]
        elif key.startswith("x-kubernetes-") or key in _DROPPED or key in _FORBIDDEN:
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
    declared = open_api_v3.get("properties")
    declared_meta = declared.get("metadata") if isinstance(declared, Mapping) else None
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
    names_ = spec.get("names")
    kind = names_.get("kind") if isinstance(names_, Mapping) else None
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
            yield CustomResourceSchema(
                group,
                name,
                kind,
                object_schema(open_api),
                structural=open_api,
                namespaced=spec.get("scope") != "Cluster",
            )


def prune_nulls(
    value: Any, schema: Mapping[str, Any] | None, path: Path = (), pruned: list | None = None
) -> Any:
    """``value`` without the nulls the API server prunes before validating: a field whose
    schema is not ``nullable`` and has no ``default`` (``PruneNonNullableNullsWithoutDefaults``,
    ``apiextensions-apiserver/pkg/apiserver/schema/defaulting/prunenulls.go``, called by the
    CR codec before ``ValidateCustomResource``). Fields the schema does not know are left for
    the unknown-field check. The paths pruned are appended to ``pruned``."""
    if isinstance(value, list):
        items = schema.get("items") if isinstance(schema, Mapping) else None
        items = items if isinstance(items, Mapping) else None
        return [prune_nulls(v, items, (*path, i), pruned) for i, v in enumerate(value)]
    if not isinstance(value, dict) or not isinstance(schema, Mapping):
        return value
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    additional = schema.get("additionalProperties")
    additional = additional if isinstance(additional, Mapping) else None
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = properties.get(key, additional)
        sub = sub if isinstance(sub, Mapping) else None
        if item is None and sub is not None and not sub.get("nullable") and "default" not in sub:
            if pruned is not None:
                pruned.append((*path, key))
            continue
        out[key] = prune_nulls(item, sub, (*path, key), pruned)
    return out
