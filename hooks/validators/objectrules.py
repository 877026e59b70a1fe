"""The API server's rules for object metadata and for the kinds of the other API groups.

Metadata follows ``ValidateObjectMeta`` (``staging/src/k8s.io/apimachinery/pkg/api/validation/
objectmeta.go``) with the name function each kind's strategy passes to it; the group rules come
from ``pkg/apis/<group>/validation/validation.go`` (apps, batch, networking, autoscaling,
policy, rbac, storage, scheduling, admissionregistration), each citing its function. Types are
registered in ``podrules.RULES`` so the walk finds them wherever they appear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hooks.validators import names
from hooks.validators.podrules import _dict, _is_int, _list, labels, port_or_name, rule
from hooks.validators.walk import Findings
from hooks.validators.yamlnodes import Path

NameRule = Callable[[str, bool], list[str]]
META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

#: The name function of each kind whose strategy does not use ``NameIsDNSSubdomain`` (the
#: default of every other built-in kind, e.g. StorageClass ``ValidateClassName``, HPA,
#: PodDisruptionBudget, IngressClass, ResourceQuota, LimitRange, ReplicationController,
#: webhook configurations, ValidatingAdmissionPolicy, the resource.k8s.io DRA kinds).
NAME_RULES: dict[str, NameRule | None] = {
    "Namespace": names.name_is_dns_label,  # ValidateNamespaceName
    "Service": names.name_is_dns1035_label,  # ValidateServiceName
    # pkg/apis/rbac/validation: ValidateRBACName = path.IsValidPathSegmentName
    "Role": names.name_is_path_segment,
    "ClusterRole": names.name_is_path_segment,
    "RoleBinding": names.name_is_path_segment,
    "ClusterRoleBinding": names.name_is_path_segment,
    # names that are not DNS names by design, or not checked on create
    "Event": names.name_is_path_segment,
    "CertificateSigningRequest": names.name_is_path_segment,
    "ClusterTrustBundle": None,  # "<signer>:<name>", ValidateClusterTrustBundleName
    "ComponentStatus": None,
}
#: Kinds that are only ever created, never stored: they carry no name
#: (pkg/apis/authorization, authentication: SubjectAccessReview & co, TokenReview).
NAMELESS = frozenset(
    {
        "SelfSubjectAccessReview",
        "SubjectAccessReview",
        "LocalSubjectAccessReview",
        "SelfSubjectRulesReview",
        "SelfSubjectReview",
        "TokenReview",
    }
)
#: Kinds that live in a namespace are not told here: a manifest may omit it (kubectl fills it).
_CLUSTER_SCOPED_WITH_NAMESPACE_FORBIDDEN = frozenset({"Namespace"})


def name_rule(kind: str) -> NameRule | None:
    return NAME_RULES.get(kind, names.name_is_dns_subdomain)


def object_meta(f: Findings, meta: Any, path: Path, *, name_fn: NameRule | None) -> None:
    """``ValidateObjectMeta``: name (or generateName), namespace, labels, annotations."""
    meta = _dict(meta)
    name, generate = meta.get("name"), meta.get("generateName")
    if isinstance(name, str) and name and name_fn is not None:
        f.invalid_all((*path, "name"), name, name_fn(name, False))
    if isinstance(generate, str) and generate and name_fn is not None:
        f.invalid_all((*path, "generateName"), generate, name_fn(generate, True))
    namespace = meta.get("namespace")
    if isinstance(namespace, str) and namespace:
        f.invalid_all((*path, "namespace"), namespace, names.dns_label(namespace))
    meta_labels_and_annotations(f, meta, path)


def meta_labels_and_annotations(f: Findings, meta: Mapping[str, Any], path: Path) -> None:
    labels(f, meta.get("labels"), (*path, "labels"))
    total = 0
    for key, value in _dict(meta.get("annotations")).items():
        # ValidateAnnotations: keys are qualified names (checked lowercased), 256 KiB in all.
        f.invalid_all((*path, "annotations", key), key, names.qualified_name(key.lower()))
        total += len(key) + (len(value) if isinstance(value, str) else 0)
    if total > names.ANNOTATIONS_TOTAL_MAX:
        f.add(
            (*path, "annotations"),
            f"Too long: must have at most {names.ANNOTATIONS_TOTAL_MAX} bytes",
        )
    for index, finalizer in enumerate(_list(meta.get("finalizers"))):
        if isinstance(finalizer, str):
            f.invalid_all((*path, "finalizers", index), finalizer, names.qualified_name(finalizer))


@rule(META)
def nested_meta(f: Findings, meta: Any, path: Path) -> None:
    """A template's metadata (``ValidatePodTemplateSpec``: labels and annotations only)."""
    if path != ("metadata",):
        meta_labels_and_annotations(f, _dict(meta), path)


# --- apps (pkg/apis/apps/validation/validation.go) --------------------------------------------


def _template_restart_policy(f: Findings, spec: Mapping[str, Any], path: Path, allowed) -> None:
    policy = _dict(_dict(spec.get("template")).get("spec")).get("restartPolicy")
    if policy not in (None, "") and policy not in allowed:
        f.unsupported((*path, "template", "spec", "restartPolicy"), policy, allowed)


def _selector_required(f: Findings, spec: Mapping[str, Any], path: Path) -> None:
    selector = spec.get("selector")
    if (
        isinstance(selector, Mapping)
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    ):
        f.invalid((*path, "selector"), {}, "empty selector is invalid for deployment")


@rule("io.k8s.api.apps.v1.DeploymentSpec")
def deployment_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateDeploymentSpec`` and ``ValidateDeploymentStrategy``."""
    spec = _dict(spec)
    _selector_required(f, spec, path)
    _template_restart_policy(f, spec, path, ("Always",))
    for key in ("replicas", "minReadySeconds", "revisionHistoryLimit"):
        f.non_negative(spec, key, path)
    deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds") or 0
    if _is_int(deadline) and deadline <= ready:
        f.invalid(
            (*path, "progressDeadlineSeconds"),
            deadline,
            "must be greater than minReadySeconds",
        )
    strategy = _dict(spec.get("strategy"))
    spath = (*path, "strategy")
    f.enum(strategy, "type", spath, ("Recreate", "RollingUpdate"))
    rolling = strategy.get("rollingUpdate")
    if strategy.get("type") == "Recreate" and rolling is not None:
        f.forbidden(
            (*spath, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"
        )
    if isinstance(rolling, Mapping):
        _rolling(f, rolling, (*spath, "rollingUpdate"), both_zero_ok=False)


def _rolling(f: Findings, rolling: Mapping[str, Any], path: Path, *, both_zero_ok: bool) -> None:
    """``ValidateRollingUpdateDeployment``: ints >= 0 or percentages, not both zero."""
    zero = []
    for key in ("maxUnavailable", "maxSurge"):
        if key not in rolling:
            continue
        value = rolling[key]
        if isinstance(value, str):
            if errors := names.percent(value):
                f.invalid_all((*path, key), value, errors)
                continue
            amount = int(value[:-1])
            if key == "maxUnavailable" and amount > 100:
                f.invalid((*path, key), value, "must not be greater than 100%")
        elif _is_int(value):
            amount = value
            if value < 0:
                f.invalid((*path, key), value, "must be greater than or equal to 0")
        else:
            continue
        if amount == 0:
            zero.append(key)
    if len(zero) == 2 and not both_zero_ok:
        f.invalid((*path, "maxUnavailable"), 0, "may not be 0 when `maxSurge` is 0")


@rule("io.k8s.api.apps.v1.ReplicaSetSpec")
def replica_set_spec(f: Findings, spec: Any, path: Path) -> None:
    spec = _dict(spec)
    _selector_required(f, spec, path)
    _template_restart_policy(f, spec, path, ("Always",))
    f.non_negative(spec, "replicas", path)


@rule("io.k8s.api.core.v1.ReplicationControllerSpec")
def rc_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateReplicationControllerSpec``: selector (a map) matches the template."""
    spec = _dict(spec)
    _template_restart_policy(f, spec, path, ("Always",))
    f.non_negative(spec, "replicas", path)
    selector = _dict(spec.get("selector"))
    template_labels = _dict(_dict(_dict(spec.get("template")).get("metadata")).get("labels"))
    if selector and any(template_labels.get(k) != v for k, v in selector.items()):
        f.invalid(
            (*path, "template", "metadata", "labels"),
            template_labels,
            "`selector` does not match template `labels`",
        )


@rule("io.k8s.api.apps.v1.StatefulSetSpec")
def stateful_set_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateStatefulSetSpec``."""
    spec = _dict(spec)
    _template_restart_policy(f, spec, path, ("Always",))
    f.non_negative(spec, "replicas", path)
    f.enum(spec, "podManagementPolicy", path, ("OrderedReady", "Parallel"))
    strategy = _dict(spec.get("updateStrategy"))
    f.enum(strategy, "type", (*path, "updateStrategy"), ("OnDelete", "RollingUpdate"))


@rule("io.k8s.api.apps.v1.DaemonSetSpec")
def daemon_set_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateDaemonSetSpec``."""
    spec = _dict(spec)
    _selector_required(f, spec, path)
    _template_restart_policy(f, spec, path, ("Always",))
    strategy = _dict(spec.get("updateStrategy"))
    spath = (*path, "updateStrategy")
    f.enum(strategy, "type", spath, ("OnDelete", "RollingUpdate"))
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, Mapping):
        _rolling(f, rolling, (*spath, "rollingUpdate"), both_zero_ok=False)


# --- batch (pkg/apis/batch/validation/validation.go) ------------------------------------------


@rule("io.k8s.api.batch.v1.JobSpec")
def job_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateJobSpec``: the pod template restarts OnFailure or Never (a template without
    restartPolicy is defaulted to Always and refused), counts >= 0."""
    spec = _dict(spec)
    template = _dict(_dict(spec.get("template")).get("spec"))
    tpath = (*path, "template", "spec", "restartPolicy")
    policy = template.get("restartPolicy")
    if policy in (None, ""):
        f.required(
            tpath,
            'a Job\'s pods need restartPolicy "OnFailure" or "Never" '
            '(the default, "Always", is refused)',
        )
    elif policy not in ("OnFailure", "Never"):
        f.unsupported(tpath, policy, ("OnFailure", "Never"))
    for key in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        f.non_negative(spec, key, path)
    active = spec.get("activeDeadlineSeconds")
    if _is_int(active) and active <= 0:
        f.invalid((*path, "activeDeadlineSeconds"), active, "must be greater than 0")
    f.enum(spec, "completionMode", path, ("Indexed", "NonIndexed"))
    f.enum(spec, "podReplacementPolicy", path, ("Failed", "TerminatingOrFailed"))
    if spec.get("completionMode") == "Indexed" and spec.get("completions") is None:
        f.required((*path, "completions"), "when completion mode is Indexed")


@rule("io.k8s.api.batch.v1.CronJobSpec")
def cron_job_spec(f: Findings, spec: Any, path: Path) -> None:
    """``validateCronJobSpec``: a schedule cron can parse, policies, history limits."""
    spec = _dict(spec)
    schedule = spec.get("schedule")
    if isinstance(schedule, str):
        problem = _cron_problem(schedule)
        if problem:
            f.invalid((*path, "schedule"), schedule, problem)
    f.enum(spec, "concurrencyPolicy", path, ("Allow", "Forbid", "Replace"))
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        f.non_negative(spec, key, path)
    job = _dict(_dict(spec.get("jobTemplate")).get("spec"))
    if job:
        job_spec(f, job, (*path, "jobTemplate", "spec"))


_CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
_CRON_NAMES = {
    3: {
        m: i + 1
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        )
    },
    4: {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())},  # noqa: SIM905
}
_CRON_DESCRIPTORS = {
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
}


def _cron_problem(schedule: str) -> str:
    """robfig/cron's standard parser (``cron.ParseStandard``), which the CronJob controller
    and its validation use: five fields, or a descriptor; a ``TZ=`` prefix is refused
    (``timeZone`` is the field for that)."""
    text = schedule.strip()
    if text.startswith(("TZ=", "CRON_TZ=")):
        return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    if text in _CRON_DESCRIPTORS or text.startswith("@every "):
        return ""
    fields = text.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for index, (part, (label, low, high)) in enumerate(zip(fields, _CRON_FIELDS, strict=True)):
        for item in part.split(","):
            problem = _cron_range(item.lower(), low, high, _CRON_NAMES.get(index, {}))
            if problem:
                return f"{label} field {part!r}: {problem}"
    return ""


def _cron_range(item: str, low: int, high: int, aliases: Mapping[str, int]) -> str:
    span, _, step = item.partition("/")
    if step and (not step.isdigit() or int(step) == 0):
        return f"bad step {step!r}"
    if span in ("*", "?"):
        return ""
    start, _, end = span.partition("-")
    for bound in (start, end) if end else (start,):
        value = aliases.get(bound, int(bound) if bound.isdigit() else None)
        if value is None:
            return f"failed to parse {bound!r}"
        if not low <= value <= high:
            return f"{value} out of range [{low}, {high}]"
    return ""


# --- networking (pkg/apis/networking/validation/validation.go) --------------------------------


@rule("io.k8s.api.networking.v1.IngressSpec")
def ingress_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateIngressSpec``: hosts, path types, backends."""
    spec = _dict(spec)
    if spec.get("defaultBackend") is None and not spec.get("rules"):
        f.invalid(path, "", "either `defaultBackend` or `rules` must be specified")
    class_name = spec.get("ingressClassName")
    if isinstance(class_name, str) and class_name:
        f.invalid_all((*path, "ingressClassName"), class_name, names.dns_subdomain(class_name))
    for index, item in enumerate(_list(spec.get("rules"))):
        item = _dict(item)
        rpath = (*path, "rules", index)
        host = item.get("host")
        if isinstance(host, str) and host:
            if not names.ip_address(host):
                f.invalid((*rpath, "host"), host, "must be a DNS name, not an IP address")
            elif host.startswith("*"):
                f.invalid_all((*rpath, "host"), host, names.wildcard_dns_subdomain(host))
            else:
                f.invalid_all((*rpath, "host"), host, names.dns_subdomain(host))
        for pindex, http_path in enumerate(_list(_dict(item.get("http")).get("paths"))):
            http_path = _dict(http_path)
            ppath = (*rpath, "http", "paths", pindex)
            path_type = http_path.get("pathType")
            if path_type in (None, ""):
                f.required((*ppath, "pathType"), "pathType must be specified")
            elif path_type not in ("Exact", "ImplementationSpecific", "Prefix"):
                f.unsupported(
                    (*ppath, "pathType"), path_type, ("Exact", "ImplementationSpecific", "Prefix")
                )
            value = http_path.get("path")
            if path_type in ("Exact", "Prefix") and isinstance(value, str):
                if not value.startswith("/"):
                    f.invalid((*ppath, "path"), value, "must be an absolute path")
                elif "//" in value:
                    f.invalid((*ppath, "path"), value, "must not contain '//'")


@rule("io.k8s.api.networking.v1.IngressBackend")
def ingress_backend(f: Findings, backend: Any, path: Path) -> None:
    """``validateIngressBackend``: a service or a resource; a port by name or number."""
    backend = _dict(backend)
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        f.invalid(path, "", "cannot set both resource and service backends")
    elif service is None and resource is None:
        f.invalid(path, "", "resource or service backend is required")
    if isinstance(service, Mapping):
        name = service.get("name")
        if isinstance(name, str):
            f.invalid_all((*path, "service", "name"), name, names.dns1035_label(name))
        port = _dict(service.get("port"))
        ppath = (*path, "service", "port")
        if port.get("name") and port.get("number") is not None:
            f.invalid(ppath, "", "cannot set both port name & port number")
        elif port.get("name"):
            f.invalid_all((*ppath, "name"), port["name"], names.port_name(port["name"]))
        elif _is_int(port.get("number")):
            f.invalid_all((*ppath, "number"), port["number"], names.port_number(port["number"]))
        else:
            f.invalid(ppath, "", "port name or number is required")


@rule("io.k8s.api.networking.v1.IngressClassSpec")
def ingress_class_spec(f: Findings, spec: Any, path: Path) -> None:
    """``validateIngressClassSpec``: a domain-prefixed controller name."""
    controller = _dict(spec).get("controller")
    if isinstance(controller, str):
        domain, slash, rest = controller.partition("/")
        if not slash or not rest or names.dns_subdomain(domain):
            f.invalid(
                (*path, "controller"),
                controller,
                'must be a domain-prefixed path (such as "acme.io/foo")',
            )
        elif len(controller) > 250:
            f.add((*path, "controller"), "Too long: may not be longer than 250")


@rule("io.k8s.api.networking.v1.NetworkPolicySpec")
def network_policy_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidateNetworkPolicySpec``: policy types, ports, CIDRs."""
    spec = _dict(spec)
    for index, policy_type in enumerate(_list(spec.get("policyTypes"))):
        if policy_type not in ("Egress", "Ingress"):
            f.unsupported((*path, "policyTypes", index), policy_type, ("Egress", "Ingress"))
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for index, item in enumerate(_list(spec.get(direction))):
            item = _dict(item)
            ipath = (*path, direction, index)
            for pindex, port in enumerate(_list(item.get("ports"))):
                port = _dict(port)
                ppath = (*ipath, "ports", pindex)
                from hooks.validators.podrules import PROTOCOLS

                f.enum(port, "protocol", ppath, PROTOCOLS)
                if "port" in port:
                    port_or_name(f, port["port"], (*ppath, "port"))
                end = port.get("endPort")
                if _is_int(end) and _is_int(port.get("port")) and end < port["port"]:
                    f.invalid((*ppath, "endPort"), end, "must be greater than or equal to `port`")
            for pindex, peer in enumerate(_list(item.get(peers))):
                block = _dict(_dict(peer).get("ipBlock"))
                bpath = (*ipath, peers, pindex, "ipBlock")
                if isinstance(block.get("cidr"), str):
                    f.invalid_all((*bpath, "cidr"), block["cidr"], names.cidr(block["cidr"]))
                for eindex, except_ in enumerate(_list(block.get("except"))):
                    if isinstance(except_, str):
                        f.invalid_all((*bpath, "except", eindex), except_, names.cidr(except_))


# --- autoscaling, policy, scheduling, storage ------------------------------------------------


@rule(
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
    "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec",
)
def hpa_spec(f: Findings, spec: Any, path: Path) -> None:
    """``validateHorizontalPodAutoscalerSpec`` (pkg/apis/autoscaling/validation)."""
    spec = _dict(spec)
    low, high = spec.get("minReplicas"), spec.get("maxReplicas")
    if _is_int(low) and low < 1:
        f.invalid((*path, "minReplicas"), low, "must be greater than or equal to 1")
    if _is_int(high):
        if high < 1:
            f.invalid((*path, "maxReplicas"), high, "must be greater than 0")
        elif _is_int(low) and high < low:
            f.invalid(
                (*path, "maxReplicas"), high, "must be greater than or equal to `minReplicas`"
            )
    target = _dict(spec.get("scaleTargetRef"))
    for key in ("kind", "name"):
        if target and not target.get(key):
            f.required((*path, "scaleTargetRef", key))
    for index, metric in enumerate(_list(spec.get("metrics"))):
        metric = _dict(metric)
        mpath = (*path, "metrics", index)
        kinds = ("ContainerResource", "External", "Object", "Pods", "Resource")
        f.enum(metric, "type", mpath, kinds)
        key = {k: k[0].lower() + k[1:] for k in kinds}.get(metric.get("type") or "")
        if key and metric.get(key) is None:
            f.required(
                (*mpath, key),
                f"must populate information for the given metric source (type {metric['type']})",
            )
        target_spec = _dict(_dict(metric.get(key or "")).get("target"))
        f.enum(
            target_spec,
            "type",
            (*mpath, key or "", "target"),
            ("AverageValue", "Utilization", "Value"),
        )


@rule("io.k8s.api.policy.v1.PodDisruptionBudgetSpec")
def pdb_spec(f: Findings, spec: Any, path: Path) -> None:
    """``ValidatePodDisruptionBudgetSpec``: minAvailable xor maxUnavailable, valid amounts."""
    spec = _dict(spec)
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        f.invalid(path, "", "minAvailable and maxUnavailable cannot be both set")
    for key in ("minAvailable", "maxUnavailable"):
        value = spec.get(key)
        if isinstance(value, str):
            f.invalid_all((*path, key), value, names.percent(value))
            if not names.percent(value) and int(value[:-1]) > 100:
                f.invalid((*path, key), value, "must not be greater than 100%")
        elif _is_int(value) and value < 0:
            f.invalid((*path, key), value, "must be greater than or equal to 0")
    f.enum(spec, "unhealthyPodEvictionPolicy", path, ("AlwaysAllow", "IfHealthyBudget"))


@rule("io.k8s.api.scheduling.v1.PriorityClass")
def priority_class(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePriorityClass``: reserved names and the user-defined ceiling."""
    value = _dict(value)
    name = _dict(value.get("metadata")).get("name")
    system = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}
    if isinstance(name, str) and name.startswith("system-") and name not in system:
        f.forbidden(
            (*path, "metadata", "name"), "priority class names with 'system-' prefix are reserved"
        )
    number = value.get("value")
    if _is_int(number) and number > 1_000_000_000 and name not in system:
        f.forbidden(
            (*path, "value"), "maximum allowed value of a user defined priority is 1000000000"
        )
    f.enum(value, "preemptionPolicy", path, ("Never", "PreemptLowerPriority"))


@rule("io.k8s.api.storage.v1.StorageClass")
def storage_class(f: Findings, value: Any, path: Path) -> None:
    """``ValidateStorageClass`` (pkg/apis/storage/validation)."""
    value = _dict(value)
    provisioner = value.get("provisioner")
    if isinstance(provisioner, str):
        if not provisioner:
            f.required((*path, "provisioner"))
        else:
            f.invalid_all(
                (*path, "provisioner"), provisioner, names.qualified_name(provisioner.lower())
            )
    f.enum(value, "reclaimPolicy", path, ("Delete", "Retain"))
    f.enum(value, "volumeBindingMode", path, ("Immediate", "WaitForFirstConsumer"))


# --- rbac (pkg/apis/rbac/validation/validation.go) --------------------------------------------


@rule("io.k8s.api.rbac.v1.PolicyRule")
def policy_rule(f: Findings, value: Any, path: Path) -> None:
    """``ValidatePolicyRule``: verbs; resource rules name API groups; URL rules only in
    ClusterRoles."""
    value = _dict(value)
    if not _list(value.get("verbs")):
        f.required((*path, "verbs"), "verbs must contain at least one value")
    urls = _list(value.get("nonResourceURLs"))
    if urls:
        if f.kind == "Role":
            f.invalid(
                (*path, "nonResourceURLs"),
                urls,
                "namespaced rules cannot apply to non-resource URLs",
            )
        if value.get("apiGroups") or value.get("resources") or value.get("resourceNames"):
            f.invalid(
                (*path, "nonResourceURLs"),
                urls,
                "rules cannot apply to both regular resources and non-resource URLs",
            )
        return
    if not _list(value.get("apiGroups")):
        f.required((*path, "apiGroups"), "resource rules must supply at least one api group")
    if not _list(value.get("resources")):
        f.required((*path, "resources"), "resource rules must supply at least one resource")


@rule("io.k8s.api.rbac.v1.RoleRef")
def role_ref(f: Findings, value: Any, path: Path) -> None:
    """``ValidateRoleBindingSpec``: a Role or ClusterRole of rbac.authorization.k8s.io."""
    value = _dict(value)
    allowed = ("ClusterRole",) if f.kind == "ClusterRoleBinding" else ("ClusterRole", "Role")
    f.enum(value, "kind", path, allowed)
    f.enum(value, "apiGroup", path, ("rbac.authorization.k8s.io",))
    name = value.get("name")
    if isinstance(name, str):
        if not name:
            f.required((*path, "name"))
        else:
            f.invalid_all((*path, "name"), name, names.path_segment(name))


@rule("io.k8s.api.rbac.v1.Subject")
def subject(f: Findings, value: Any, path: Path) -> None:
    """``ValidateRoleBindingSubject``."""
    value = _dict(value)
    kind = value.get("kind")
    if kind not in ("Group", "ServiceAccount", "User"):
        f.unsupported((*path, "kind"), kind, ("Group", "ServiceAccount", "User"))
        return
    name = value.get("name")
    if not name:
        f.required((*path, "name"))
    api_group = value.get("apiGroup") or ""
    if kind == "ServiceAccount":
        if api_group:
            f.unsupported((*path, "apiGroup"), api_group, ("",))
        if isinstance(name, str) and name:
            f.invalid_all((*path, "name"), name, names.dns_subdomain(name))
        if f.kind == "ClusterRoleBinding" and not value.get("namespace"):
            f.required((*path, "namespace"), "a ServiceAccount subject names its namespace")
    elif api_group != "rbac.authorization.k8s.io":
        f.unsupported((*path, "apiGroup"), api_group, ("rbac.authorization.k8s.io",))


# --- admissionregistration (pkg/apis/admissionregistration/validation) -----------------------


@rule(
    "io.k8s.api.admissionregistration.v1.ValidatingWebhook",
    "io.k8s.api.admissionregistration.v1.MutatingWebhook",
)
def webhook(f: Findings, value: Any, path: Path) -> None:
    """``validateValidatingWebhook``/``validateMutatingWebhook``."""
    value = _dict(value)
    name = value.get("name")
    if isinstance(name, str):
        errors = names.dns_subdomain(name)
        if not errors and name.count(".") < 2:
            errors = ["should be a domain with at least three segments separated by dots"]
        f.invalid_all((*path, "name"), name, errors)
    if not _list(value.get("admissionReviewVersions")):
        f.required((*path, "admissionReviewVersions"), 'must specify one of "v1", "v1beta1"')
    side = value.get("sideEffects")
    if side in (None, ""):
        f.required((*path, "sideEffects"), 'must specify one of "None", "NoneOnDryRun"')
    else:
        f.enum(value, "sideEffects", path, ("None", "NoneOnDryRun"))
    f.enum(value, "failurePolicy", path, ("Fail", "Ignore"))
    f.enum(value, "matchPolicy", path, ("Equivalent", "Exact"))
    f.enum(value, "reinvocationPolicy", path, ("IfNeeded", "Never"))
    timeout = value.get("timeoutSeconds")
    if _is_int(timeout) and not 1 <= timeout <= 30:
        f.invalid(
            (*path, "timeoutSeconds"), timeout, "the timeout value must be between 1 and 30 seconds"
        )
    client = _dict(value.get("clientConfig"))
    if client and (client.get("url") is None) == (client.get("service") is None):
        f.required((*path, "clientConfig"), "exactly one of url or service is required")
    for index, item in enumerate(_list(value.get("rules"))):
        item = _dict(item)
        rpath = (*path, "rules", index)
        for oindex, operation in enumerate(_list(item.get("operations"))):
            choices = ("*", "CONNECT", "CREATE", "DELETE", "UPDATE")
            if operation not in choices:
                f.unsupported((*rpath, "operations", oindex), operation, choices)
        f.enum(item, "scope", rpath, ("*", "Cluster", "Namespaced"))


# --- dispatch ---------------------------------------------------------------------------------


def top_level(f: Findings, data: Mapping[str, Any]) -> None:
    """Rules on the whole object: its metadata with the kind's name function."""
    kind = f.kind
    if kind in NAMELESS:
        return
    object_meta(f, data.get("metadata"), ("metadata",), name_fn=name_rule(kind))
    name = _dict(data.get("metadata")).get("name")
    if not isinstance(name, str):
        return
    # ValidateJob: the name becomes the value of the pods' batch.kubernetes.io/job-name label.
    manual = _dict(data.get("spec")).get("manualSelector") is True
    if kind == "Job" and not manual and len(name) > names.LABEL_VALUE_MAX:
        f.invalid(
            ("metadata", "name"),
            name,
            "must be no more than 63 characters (it becomes the value of the pods' "
            "batch.kubernetes.io/job-name label)",
        )
    # ValidateCronJob: jobs are named "<name>-<11 characters>" and must fit a 63-char label.
    if kind == "CronJob" and len(name) > 52:
        f.invalid(("metadata", "name"), name, "must be no more than 52 characters")
    # apiregistration ValidateAPIService: named "<version>.<group>".
    if kind == "APIService":
        spec = _dict(data.get("spec"))
        wanted = f"{spec.get('version')}.{spec.get('group')}"
        if spec.get("version") and spec.get("group") and name != wanted:
            f.invalid(("metadata", "name"), name, f'must be "{wanted}"')
