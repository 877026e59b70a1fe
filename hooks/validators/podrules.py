"""The API server's rules for pods and what pods are made of, one function per Go type.

Ported from ``pkg/apis/core/validation/validation.go`` (Kubernetes 1.37): each rule names the
Go function it comes from. They run wherever the type appears (a Pod, any workload's
template), because ``walk.py`` tells each node's type. Only the rules a schema cannot express
are here; fields the server defaults (``imagePullPolicy``, ``terminationMessagePolicy``) are
checked only when present, as defaulting runs first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hooks.validators import names, quantity
from hooks.validators.walk import Findings
from hooks.validators.yamlnodes import Path

Rule = Callable[[Findings, Any, Path], None]
RULES: dict[str, Rule] = {}
CORE = "io.k8s.api.core.v1."

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
PROTOCOLS = ("SCTP", "TCP", "UDP")
#: Standard resource names a container may request (``validateContainerResourceName``);
#: anything else must be a qualified name with a domain ("example.com/gpu").
_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}


def rule(*types: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for name in types:
            RULES[name if "." in name else CORE + name] = fn
        return fn

    return register


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@rule("PodSpec")
def pod_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidatePodSpec``: containers, volumes and the references between them."""
    spec = _dict(spec)
    containers = _list(spec.get("containers"))
    if "containers" in spec and not containers:
        f.required((*path, "containers"), "a pod needs at least one container")
    f.enum(spec, "restartPolicy", path, RESTART_POLICIES)
    f.enum(spec, "dnsPolicy", path, DNS_POLICIES)
    if spec.get("dnsPolicy") == "None" and not spec.get("dnsConfig"):
        f.required((*path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None")
    f.non_negative(spec, "terminationGracePeriodSeconds", path)
    active = spec.get("activeDeadlineSeconds")
    if isinstance(active, int) and not isinstance(active, bool) and active <= 0:
        f.invalid((*path, "activeDeadlineSeconds"), active, "must be between 1 and 2147483647")
    for key, check in (
        ("serviceAccountName", names.dns_subdomain),
        ("hostname", names.dns_label),
        ("subdomain", names.dns_label),
        ("priorityClassName", names.dns_subdomain),
        ("nodeName", names.dns_subdomain),
    ):
        value = spec.get(key)
        if isinstance(value, str) and value:
            f.invalid_all((*path, key), value, check(value))
    labels(f, spec.get("nodeSelector"), (*path, "nodeSelector"))
    # validateVolumes: names are DNS labels, unique, one source each.
    volumes: dict[str, Mapping[str, Any]] = {}
    for index, volume in enumerate(_list(spec.get("volumes"))):
        volume = _dict(volume)
        vpath = (*path, "volumes", index)
        name = volume.get("name")
        if isinstance(name, str):
            f.invalid_all((*vpath, "name"), name, names.dns_label(name))
            if name in volumes:
                f.duplicate((*vpath, "name"), name)
            volumes[name] = volume
        sources = [k for k in volume if k != "name" and volume[k] is not None]
        if len(sources) > 1:
            f.forbidden((*vpath, sources[1]), "may not specify more than 1 volume type")
    # validateContainers/validateInitContainers: names unique across the pod's containers.
    seen: set[str] = set()
    for group in ("initContainers", "containers", "ephemeralContainers"):
        for index, container in enumerate(_list(spec.get(group))):
            container = _dict(container)
            cpath = (*path, group, index)
            name = container.get("name")
            if isinstance(name, str):
                if name in seen:
                    f.duplicate((*cpath, "name"), name)
                seen.add(name)
            _volume_mounts(f, container, cpath, volumes)
            # (a regular container's own restartPolicy is allowed since container restart
            # rules, KEP-5307: 1.37's schema documents it as overriding the pod's)


def _volume_mounts(
    f: Findings, container: Mapping[str, Any], path: Path, volumes: Mapping[str, Any]
) -> None:
    """``ValidateVolumeMounts``: each mount names a volume of the pod, at a unique path."""
    mount_paths: set[str] = set()
    # (ValidatePodTemplateSpec runs after the StatefulSet controller's view: a mount may name
    # one of the StatefulSet's volumeClaimTemplates, see apps ValidateStatefulSetSpec.)
    for index, mount in enumerate(_list(container.get("volumeMounts"))):
        mount = _dict(mount)
        mpath = (*path, "volumeMounts", index)
        name = mount.get("name")
        if isinstance(name, str) and name and name not in volumes and name not in f.owner_volumes:
            f.add((*mpath, "name"), f'Not found: "{name}" (no volume of the pod has this name)')
        mount_path = mount.get("mountPath")
        if isinstance(mount_path, str):
            if not mount_path:
                f.required((*mpath, "mountPath"))
            elif mount_path in mount_paths:
                f.invalid((*mpath, "mountPath"), mount_path, "must be unique")
            mount_paths.add(mount_path)
        sub_path = mount.get("subPath")
        if isinstance(sub_path, str) and sub_path:
            _relative_path(f, sub_path, (*mpath, "subPath"))


def _relative_path(f: Findings, value: str, path: Path) -> None:
    """``validateLocalDescendingPath``."""
    if value.startswith("/"):
        f.invalid(path, value, "must be a relative path")
    if ".." in value.replace("\\", "/").split("/"):
        f.invalid(path, value, "must not contain '..'")


@rule("Container", "EphemeralContainer")
def container(f: Findings, ctr: Any, path: Path) -> None:
    """``validateContainerCommon``: name, image, policies, ports, env, resources."""
    ctr = _dict(ctr)
    name = ctr.get("name")
    if isinstance(name, str):
        f.invalid_all((*path, "name"), name, names.dns_label(name))
    image = ctr.get("image")
    if not image:
        f.required((*path, "image"), "every container names its image")
    f.enum(ctr, "imagePullPolicy", path, PULL_POLICIES)
    f.enum(ctr, "terminationMessagePolicy", path, ("File", "FallbackToLogsOnError"))
    # validateContainerPorts: names unique within the container, numbers in range.
    port_names: set[str] = set()
    for index, port in enumerate(_list(ctr.get("ports"))):
        port = _dict(port)
        ppath = (*path, "ports", index)
        port_name = port.get("name")
        if isinstance(port_name, str) and port_name:
            f.invalid_all((*ppath, "name"), port_name, names.port_name(port_name))
            if port_name in port_names:
                f.duplicate((*ppath, "name"), port_name)
            port_names.add(port_name)
        number = port.get("containerPort")
        if _is_int(number):
            f.invalid_all((*ppath, "containerPort"), number, names.port_number(number))
        host_port = port.get("hostPort")
        if _is_int(host_port) and host_port != 0:
            f.invalid_all((*ppath, "hostPort"), host_port, names.port_number(host_port))
        f.enum(port, "protocol", ppath, PROTOCOLS)
    # validateEnv: names, and one source per valueFrom.
    for index, env in enumerate(_list(ctr.get("env"))):
        env = _dict(env)
        epath = (*path, "env", index)
        env_name = env.get("name")
        if isinstance(env_name, str):
            f.invalid_all((*epath, "name"), env_name, names.env_var_name(env_name))
        source = env.get("valueFrom")
        if isinstance(source, Mapping):
            chosen = [k for k, v in source.items() if v is not None]
            if len(chosen) > 1:
                f.invalid(
                    (*epath, "valueFrom"),
                    "",
                    "may not have more than one field specified at a time",
                )
            elif not chosen:
                f.invalid(
                    (*epath, "valueFrom"),
                    "",
                    "must specify one of: `fieldRef`, "
                    "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                )
            if env.get("value"):
                f.invalid(
                    (*epath, "valueFrom"), "", "may not be specified when `value` is not empty"
                )
    for probe in ("livenessProbe", "startupProbe"):
        threshold = _dict(ctr.get(probe)).get("successThreshold")
        if _is_int(threshold) and threshold != 1:
            f.invalid((*path, probe, "successThreshold"), threshold, "must be 1")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@rule("Probe")
def probe(f: Findings, value: Any, path: Path) -> None:
    """``validateProbe`` / ``validateHandler``: exactly one handler; non-negative numbers."""
    value = _dict(value)
    handlers = [k for k in ("exec", "httpGet", "tcpSocket", "grpc") if value.get(k) is not None]
    if not handlers:
        f.required(path, "must specify a handler type")
    elif len(handlers) > 1:
        f.forbidden((*path, handlers[1]), "may not specify more than 1 handler type")
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
        "terminationGracePeriodSeconds",
    ):
        f.non_negative(value, key, path)


@rule("HTTPGetAction", "TCPSocketAction")
def probe_port(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePortNumOrName`` for a handler's port; ``validateHTTPGetAction``'s scheme."""
    value = _dict(value)
    port_or_name(f, value.get("port"), (*path, "port"))
    f.enum(value, "scheme", path, ("HTTP", "HTTPS"))


def port_or_name(f: Findings, port: Any, path: Path) -> None:
    """``ValidatePortNumOrName``: a number 1-65535 or an IANA service name."""
    if _is_int(port):
        f.invalid_all(path, port, names.port_number(port))
    elif isinstance(port, str) and port:
        # intstr keeps "8080" a string: a name, which must contain a letter
        f.invalid_all(path, port, names.port_name(port))


@rule("ResourceRequirements")
def container_resources(f: Findings, value: Any, path: Path) -> None:
    """``ValidateContainerResourceRequirements``: standard or domain-qualified names. Pod-level
    ``spec.resources`` (PodLevelResources) has its own, moving list of names: only its
    quantities are checked."""
    _resources(f, value, path, container=len(path) >= 2 and isinstance(path[-2], int))


@rule("VolumeResourceRequirements")
def volume_resources(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePersistentVolumeClaimSpec``'s resources: quantities >= 0."""
    _resources(f, value, path, container=False)


def _resources(f: Findings, value: Any, path: Path, *, container: bool) -> None:
    """Quantities >= 0 and requests <= limits (``ValidateResourceRequirements``)."""
    value = _dict(value)
    parsed: dict[str, dict[str, Any]] = {}
    for group in ("limits", "requests"):
        for resource, amount in _dict(value.get(group)).items():
            rpath = (*path, group, resource)
            standard = resource in _STANDARD_CONTAINER_RESOURCES or resource.startswith(
                "hugepages-"
            )
            if container and not standard:
                if "/" not in resource:
                    f.invalid(
                        rpath, resource, "must be a standard resource type or fully qualified"
                    )
                    continue
                f.invalid_all(rpath, resource, names.qualified_name(resource))
            number = quantity.parse(amount)
            if number is None:
                continue  # reported by the Quantity rule
            if number < 0:
                f.invalid(rpath, amount, "must be greater than or equal to 0")
            parsed.setdefault(group, {})[resource] = (number, amount)
    for resource, (request, shown) in parsed.get("requests", {}).items():
        limit = parsed.get("limits", {}).get(resource)
        if limit is not None and request > limit[0]:
            f.invalid(
                (*path, "requests", resource),
                shown,
                f"must be less than or equal to {resource} limit of {limit[1]}",
            )


@rule("io.k8s.apimachinery.pkg.api.resource.Quantity")
def quantity_value(f: Findings, value: Any, path: Path) -> None:
    """``resource.ParseQuantity``, which decoding applies to every Quantity field."""
    if quantity.parse(value) is None:
        f.invalid(path, value, quantity.FORMAT_MESSAGE)


@rule("Toleration")
def toleration(f: Findings, value: Any, path: Path) -> None:
    """``ValidateTolerations``."""
    value = _dict(value)
    # Lt and Gt: TaintTolerationComparisonOperators, listed as valid in 1.37's API
    f.enum(value, "operator", path, ("Equal", "Exists", "Gt", "Lt"))
    f.enum(value, "effect", path, ("NoExecute", "NoSchedule", "PreferNoSchedule"))
    key = value.get("key")
    if isinstance(key, str) and key:
        f.invalid_all((*path, "key"), key, names.qualified_name(key))
    if value.get("operator") == "Exists" and value.get("value"):
        f.invalid((*path, "operator"), "Exists", "value must be empty when `operator` is 'Exists'")
    if not key and value.get("operator") not in ("Exists",):
        f.invalid(
            (*path, "operator"),
            value.get("operator") or "",
            "operator must be Exists when `key` is empty, which means "
            '"match all values and all keys"',
        )
    if value.get("tolerationSeconds") is not None and value.get("effect") != "NoExecute":
        f.invalid(
            (*path, "effect"),
            value.get("effect") or "",
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        )


@rule("KeyToPath")
def key_to_path(f: Findings, value: Any, path: Path) -> None:
    """``validateKeyToPath``: a relative path without '..'."""
    target = _dict(value).get("path")
    if isinstance(target, str):
        if not target:
            f.required((*path, "path"))
        else:
            _relative_path(f, target, (*path, "path"))


@rule("Service")
def service(f: Findings, value: Any, path: Path) -> None:
    """``ValidateService`` (services.go in 1.37's core validation)."""
    spec = _dict(_dict(value).get("spec"))
    spath = (*path, "spec")
    kind = spec.get("type") or "ClusterIP"
    f.enum(spec, "type", spath, ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"))
    f.enum(spec, "sessionAffinity", spath, ("ClientIP", "None"))
    f.enum(spec, "externalTrafficPolicy", spath, ("Cluster", "Local"))
    f.enum(spec, "internalTrafficPolicy", spath, ("Cluster", "Local"))
    f.enum(spec, "ipFamilyPolicy", spath, ("PreferDualStack", "RequireDualStack", "SingleStack"))
    for index, family in enumerate(_list(spec.get("ipFamilies"))):
        if family not in ("IPv4", "IPv6"):
            f.unsupported((*spath, "ipFamilies", index), family, ("IPv4", "IPv6"))
    cluster_ip = spec.get("clusterIP")
    headless = cluster_ip == "None"
    ports = _list(spec.get("ports"))
    if not ports and not headless and kind != "ExternalName":
        f.required((*spath, "ports"))
    if kind == "ExternalName":
        external = spec.get("externalName")
        if not external:
            f.required((*spath, "externalName"))
        elif isinstance(external, str):
            f.invalid_all(
                (*spath, "externalName"), external, names.dns_subdomain(external.rstrip("."))
            )
    elif headless and kind in ("NodePort", "LoadBalancer"):
        f.invalid((*spath, "clusterIP"), "None", f"may not be set to 'None' for {kind} services")
    if isinstance(cluster_ip, str) and cluster_ip not in ("", "None"):
        f.invalid_all(
            (*spath, "clusterIP"),
            cluster_ip,
            names.ip_address(cluster_ip) and ["must be empty, 'None', or a valid IP address"],
        )
    if spec.get("externalTrafficPolicy") and kind not in ("NodePort", "LoadBalancer"):
        f.invalid(
            (*spath, "externalTrafficPolicy"),
            spec["externalTrafficPolicy"],
            "may only be set for externally-accessible services",
        )
    seen_names: set[str] = set()
    seen_ports: set[tuple[Any, Any]] = set()
    for index, port in enumerate(ports):
        port = _dict(port)
        ppath = (*spath, "ports", index)
        name = port.get("name")
        if len(ports) > 1 and not name:
            f.required((*ppath, "name"), "a Service with several ports names each of them")
        if isinstance(name, str) and name:
            f.invalid_all((*ppath, "name"), name, names.dns_label(name))
            if name in seen_names:
                f.duplicate((*ppath, "name"), name)
            seen_names.add(name)
        number = port.get("port")
        if _is_int(number):
            f.invalid_all((*ppath, "port"), number, names.port_number(number))
        f.enum(port, "protocol", ppath, PROTOCOLS)
        key = (port.get("protocol") or "TCP", number)
        if key in seen_ports:
            f.duplicate(ppath, f"{key[1]}/{key[0]}")
        seen_ports.add(key)
        if "targetPort" in port:
            port_or_name(f, port["targetPort"], (*ppath, "targetPort"))
        node_port = port.get("nodePort")
        if _is_int(node_port) and node_port != 0:
            if kind == "ClusterIP":
                f.forbidden((*ppath, "nodePort"), "may not be used when `type` is 'ClusterIP'")
            else:
                f.invalid_all((*ppath, "nodePort"), node_port, names.port_number(node_port))
    labels(f, spec.get("selector"), (*spath, "selector"))


def labels(f: Findings, value: Any, path: Path) -> None:
    """``ValidateLabels`` (apimachinery/pkg/apis/meta/v1/validation): keys and values."""
    for key, label in _dict(value).items():
        f.invalid_all((*path, key), key, names.qualified_name(key))
        if isinstance(label, str):
            f.invalid_all((*path, key), label, names.label_value(label))


_WITH_VALUES = ("In", "NotIn")  # codespell:ignore
_OPERATORS = ("DoesNotExist", "Exists", *_WITH_VALUES)


@rule("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")
def label_selector(f: Findings, value: Any, path: Path) -> None:
    """``ValidateLabelSelector``: labels, and operators with or without values."""
    value = _dict(value)
    labels(f, value.get("matchLabels"), (*path, "matchLabels"))
    for index, expression in enumerate(_list(value.get("matchExpressions"))):
        expression = _dict(expression)
        epath = (*path, "matchExpressions", index)
        operator = expression.get("operator")
        values = _list(expression.get("values"))
        if operator in _WITH_VALUES:
            if not values:
                f.required(
                    (*epath, "values"), "must be specified when `operator` is 'In' or 'NotIn'"
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                f.forbidden(
                    (*epath, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
        elif operator is not None:
            f.unsupported((*epath, "operator"), operator, _OPERATORS)
        key = expression.get("key")
        if isinstance(key, str):
            f.invalid_all((*epath, "key"), key, names.qualified_name(key))


@rule("ConfigMap", "Secret")
def config_data(f: Findings, value: Any, path: Path) -> None:
    """``ValidateConfigMap``/``ValidateSecret``: keys, no key twice, at most 1 MiB."""
    value = _dict(value)
    seen: set[str] = set()
    total = 0
    for group in ("data", "binaryData", "stringData"):
        for key, item in _dict(value.get(group)).items():
            f.invalid_all((*path, group, key), key, names.config_key(key))
            if key in seen and group != "stringData":
                f.duplicate((*path, group, key), key)
            seen.add(key)
            total += len(item) if isinstance(item, str) else 0
    if total > 1024 * 1024:
        f.add(path, "Too long: the data may not be larger than 1048576 bytes")
    secret_type = value.get("type")
    required = {
        "kubernetes.io/tls": ("tls.crt", "tls.key"),
        "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
        "kubernetes.io/dockercfg": (".dockercfg",),
        "kubernetes.io/ssh-auth": ("ssh-privatekey",),
    }.get(secret_type if isinstance(secret_type, str) else "", ())
    for key in required:
        if key not in seen:
            f.required((*path, "data", key), f"a {secret_type} Secret carries {key}")


@rule("PersistentVolumeClaimSpec")
def pvc_spec(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePersistentVolumeClaimSpec``: access modes and a storage request."""
    value = _dict(value)
    modes = _list(value.get("accessModes"))
    if not modes and not value.get("dataSourceRef"):
        f.required((*path, "accessModes"), "at least 1 access mode is required")
    for index, mode in enumerate(modes):
        if mode not in _ACCESS_MODES:
            f.unsupported((*path, "accessModes", index), mode, _ACCESS_MODES)
    storage = _dict(_dict(value.get("resources")).get("requests")).get("storage")
    if storage is None:
        f.required((*path, "resources", "requests", "storage"))
    f.enum(value, "volumeMode", path, ("Block", "Filesystem"))


_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")


@rule("PersistentVolumeSpec")
def pv_spec(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePersistentVolumeSpec``."""
    value = _dict(value)
    for index, mode in enumerate(_list(value.get("accessModes"))):
        if mode not in _ACCESS_MODES:
            f.unsupported((*path, "accessModes", index), mode, _ACCESS_MODES)
    if not _dict(value.get("capacity")).get("storage"):
        f.required((*path, "capacity", "storage"))
    f.enum(value, "persistentVolumeReclaimPolicy", path, ("Delete", "Recycle", "Retain"))
    f.enum(value, "volumeMode", path, ("Block", "Filesystem"))
