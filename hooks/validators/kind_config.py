"""kind ``Cluster`` configurations (``kind.x-k8s.io/v1alpha4``), the file ``kind create
cluster --config`` reads.

Checked against ``schemas/kind-v1alpha4.schema.json`` (written from kind's v1alpha4 types; kind
decodes strictly, so unknown fields are errors), plus the checks of kind's own ``Validate()``
that a schema cannot express: at least one control-plane node, subnets that parse as CIDRs,
and kubeadm patches that are YAML.
"""

from __future__ import annotations

import functools
import ipaddress
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from hooks.validators.base import Problem
from hooks.validators.schemaerrors import explain, format_path
from hooks.validators.yamlnodes import Document

API_VERSION = "kind.x-k8s.io/v1alpha4"
KIND = "Cluster"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "kind-v1alpha4.schema.json"


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def is_kind_config(data: dict[str, Any]) -> bool:
    return data.get("apiVersion") == API_VERSION


def normalized(data: dict[str, Any]) -> dict[str, Any]:
    """The config as kind's decoder hands it to validation: ``PortMapping.UnmarshalYAML``
    (pkg/apis/config/v1alpha4/yaml.go) upper-cases ``protocol`` before checking it, so
    ``protocol: udp`` is UDP."""
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        return data
    copied = []
    for node in nodes:
        mappings = node.get("extraPortMappings") if isinstance(node, dict) else None
        if isinstance(mappings, list):
            node = {
                **node,
                "extraPortMappings": [
                    {**m, "protocol": m["protocol"].upper()}
                    if isinstance(m, dict) and isinstance(m.get("protocol"), str)
                    else m
                    for m in mappings
                ],
            }
        copied.append(node)
    return {**data, "nodes": copied}


def check(document: Document) -> list[Problem]:
    data = normalized(document.data)
    problems = explain(_validator().iter_errors(data), document, KIND)
    if problems:
        return problems
    return _semantics(data, document)


def _semantics(data: dict[str, Any], document: Document) -> list[Problem]:
    problems: list[Problem] = []
    nodes = data.get("nodes")
    if nodes and not any(n.get("role", "control-plane") == "control-plane" for n in nodes):
        problems.append(
            Problem(
                document.line(("nodes",)),
                "Cluster.nodes: must have at least one "
                "control-plane node (a node without role is a control-plane)",
            )
        )
    networking = data.get("networking") or {}
    for field in ("podSubnet", "serviceSubnet"):
        value = networking.get(field)
        if value is None:
            continue
        for cidr in value.split(","):
            try:
                ipaddress.ip_network(cidr.strip(), strict=False)
            except ValueError:
                problems.append(
                    Problem(
                        document.line(("networking", field)),
                        f"Cluster.networking.{field}: {cidr.strip()!r} is not a CIDR",
                    )
                )
    address = networking.get("apiServerAddress")
    if address is not None:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            problems.append(
                Problem(
                    document.line(("networking", "apiServerAddress")),
                    f"Cluster.networking.apiServerAddress: {address!r} is not an IP address",
                )
            )
    for index, node in enumerate(nodes or []):
        problems += _port_clashes(document, index, node.get("extraPortMappings") or [])
    patch_lists = [(("kubeadmConfigPatches",), data.get("kubeadmConfigPatches"))]
    for index, node in enumerate(nodes or []):
        patch_lists.append(
            (("nodes", index, "kubeadmConfigPatches"), node.get("kubeadmConfigPatches"))
        )
    for path, patches in patch_lists:
        for index, patch in enumerate(patches or []):
            try:
                parsed = yaml.safe_load(patch)
            except yaml.YAMLError as exc:
                problems.append(
                    Problem(
                        document.line((*path, index)),
                        f"{format_path(KIND, (*path, index))}: not valid YAML ({exc})",
                    )
                )
                continue
            if not isinstance(parsed, dict) or "kind" not in parsed:
                problems.append(
                    Problem(
                        document.line((*path, index)),
                        f"{format_path(KIND, (*path, index))}: a kubeadm patch is a YAML mapping "
                        "with the `kind` of the kubeadm object it patches",
                    )
                )
    return problems


def _port_clashes(document: Document, node: int, mappings: list[dict[str, Any]]) -> list[Problem]:
    """kind refuses two mappings of one node binding the same host address, port and protocol
    (0.0.0.0 and :: clash with every address; hostPort 0 or -1 means "pick one")."""
    problems: list[Problem] = []
    bound: dict[tuple[int, str], set[str]] = {}
    for index, mapping in enumerate(mappings):
        port = mapping.get("hostPort", 0)
        if port in (0, -1):
            continue
        address = mapping.get("listenAddress") or "0.0.0.0"
        address = "0.0.0.0" if address == "::" else address
        key = (port, mapping.get("protocol") or "TCP")
        taken = bound.setdefault(key, set())
        if taken and (address == "0.0.0.0" or address in taken or "0.0.0.0" in taken):
            path = ("nodes", node, "extraPortMappings", index)
            problems.append(
                Problem(
                    document.line((*path, "hostPort")),
                    f"{format_path(KIND, path)}: host port {port}/{key[1]} on {address} is "
                    "already mapped by an earlier extraPortMapping of this node",
                )
            )
        taken.add(address)
    return problems
