"""Configuration files that look like API objects but are read by a program, not the API server.

``AdmissionConfiguration``, audit ``Policy``, ``KubeletConfiguration``, kubeadm's
``ClusterConfiguration``, kubeconfig's ``Config``, ``Kustomization``: they carry apiVersion and
kind, appear in the documentation everywhere, and are not served by any API server, so checking
them as API objects would call them unknown kinds. They are recognised by apiVersion and kind;
kubeconfig is checked against its own types (``k8s.io/client-go/tools/clientcmd/api/v1``), a
Kustomization's top-level fields as kustomize decodes them (``api/types/kustomization.go``,
``DisallowUnknownFields``); the others are parsed and noted as "checked as YAML only" (an
outcome in ``context.notes``, not a problem), because no schema of theirs ships with the
pinned toolchain.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jsonschema

from hooks.validators.base import Problem
from hooks.validators.schemaerrors import explain
from hooks.validators.yamlnodes import Document

#: API group -> (what reads it, the kinds it defines).
GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "apiserver.config.k8s.io": (
        "kube-apiserver",
        frozenset(
            {
                "AdmissionConfiguration",
                "AuthenticationConfiguration",
                "AuthorizationConfiguration",
                "EgressSelectorConfiguration",
                "EncryptionConfiguration",
                "TracingConfiguration",
                "WebhookAdmission",
            }
        ),
    ),
    "apiserver.k8s.io": (
        "kube-apiserver",
        frozenset({"AdmissionConfiguration", "EgressSelectorConfiguration"}),
    ),
    "audit.k8s.io": ("kube-apiserver's audit log", frozenset({"Policy"})),
    "kubelet.config.k8s.io": (
        "the kubelet",
        frozenset(
            {
                "KubeletConfiguration",
                "CredentialProviderConfig",
                "ImagePullIntent",
                "ImagePulledRecord",
            }
        ),
    ),
    "credentialprovider.kubelet.k8s.io": (
        "the kubelet's credential providers",
        frozenset({"CredentialProviderRequest", "CredentialProviderResponse"}),
    ),
    "kubeadm.k8s.io": (
        "kubeadm",
        frozenset(
            {
                "ClusterConfiguration",
                "InitConfiguration",
                "JoinConfiguration",
                "ResetConfiguration",
                "UpgradeConfiguration",
            }
        ),
    ),
    "bootstraptoken.kubeadm.k8s.io": ("kubeadm", frozenset({"BootstrapToken"})),
    "kubeproxy.config.k8s.io": ("kube-proxy", frozenset({"KubeProxyConfiguration"})),
    "kubescheduler.config.k8s.io": (
        "kube-scheduler",
        frozenset(
            {
                "KubeSchedulerConfiguration",
                "DefaultPreemptionArgs",
                "InterPodAffinityArgs",
                "NodeResourcesFitArgs",
                "NodeResourcesBalancedAllocationArgs",
                "PodTopologySpreadArgs",
                "VolumeBindingArgs",
                "NodeAffinityArgs",
                "DynamicResourcesArgs",
            }
        ),
    ),
    "kubecontrollermanager.config.k8s.io": (
        "kube-controller-manager",
        frozenset({"KubeControllerManagerConfiguration"}),
    ),
    "cloudcontrollermanager.config.k8s.io": (
        "cloud-controller-manager",
        frozenset({"CloudControllerManagerConfiguration"}),
    ),
    "pod-security.admission.config.k8s.io": (
        "the PodSecurity admission plugin",
        frozenset({"PodSecurityConfiguration"}),
    ),
    "eventratelimit.admission.k8s.io": (
        "the EventRateLimit admission plugin",
        frozenset({"Configuration"}),
    ),
    "resourcequota.admission.k8s.io": (
        "the ResourceQuota admission plugin",
        frozenset({"Configuration"}),
    ),
    "podnodeselector.admission.k8s.io": (
        "the PodNodeSelector admission plugin",
        frozenset({"PodNodeSelectorConfiguration"}),
    ),
    "imagepolicy.k8s.io": ("the ImagePolicyWebhook admission plugin", frozenset({"ImageReview"})),
    "client.authentication.k8s.io": (
        "client-go's exec credential plugins",
        frozenset({"ExecCredential"}),
    ),
    "kustomize.config.k8s.io": (
        "kustomize (kubectl apply -k)",
        frozenset({"Kustomization", "Component"}),
    ),
    "config.kubernetes.io": ("kustomize's KRM functions", frozenset({"ResourceList"})),
    "kind.x-k8s.io": ("kind", frozenset()),  # Cluster is checked by kind_config.py
}
_VERSION = re.compile(r"v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?\Z")
NOTE = "configuration file, not an API object: checked as YAML only"

_STR = {"type": "string"}
_EXTENSIONS = {"type": ["array", "null"], "items": {"type": "object"}}
#: kubeconfig (clientcmd/api/v1/types.go: Config, NamedCluster, Cluster, NamedAuthInfo,
#: AuthInfo, NamedContext, Context, Preferences), field names as its json tags.
_KUBECONFIG = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "apiVersion": _STR,
        "kind": _STR,
        "preferences": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {"colors": {"type": "boolean"}, "extensions": _EXTENSIONS},
        },
        "current-context": _STR,
        "extensions": _EXTENSIONS,
        "clusters": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _STR,
                    "cluster": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "server": _STR,
                            "tls-server-name": _STR,
                            "insecure-skip-tls-verify": {"type": "boolean"},
                            "certificate-authority": _STR,
                            "certificate-authority-data": _STR,
                            "proxy-url": _STR,
                            "disable-compression": {"type": "boolean"},
                            "extensions": _EXTENSIONS,
                        },
                    },
                },
            },
        },
        "users": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _STR,
                    "user": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            **{
                                key: _STR
                                for key in (
                                    "client-certificate",
                                    "client-certificate-data",
                                    "client-key",
                                    "client-key-data",
                                    "token",
                                    "tokenFile",
                                    "as",
                                    "as-uid",
                                    "username",
                                    "password",
                                )
                            },
                            "as-groups": {"type": ["array", "null"], "items": _STR},
                            "as-user-extra": {"type": ["object", "null"]},
                            "auth-provider": {"type": ["object", "null"]},
                            "exec": {"type": ["object", "null"]},
                            "extensions": _EXTENSIONS,
                        },
                    },
                },
            },
        },
        "contexts": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _STR,
                    "context": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "cluster": _STR,
                            "user": _STR,
                            "namespace": _STR,
                            "extensions": _EXTENSIONS,
                        },
                    },
                },
            },
        },
    },
}


#: kustomize v5.8.1 ``types.Kustomization``'s json names; kustomize decodes with encoding/json's
#: ``DisallowUnknownFields``, which matches names case-insensitively.
_KUSTOMIZATION_JSON_NAMES = (
    "apiVersion kind metadata openapi namePrefix nameSuffix namespace commonLabels labels "
    "commonAnnotations patchesStrategicMerge patchesJson6902 patches images imageTags "
    "replacements replicas vars sortOptions resources components crds bases "
    "configMapGenerator secretGenerator helmGlobals helmCharts helmChartInflationGenerator "
    "generatorOptions configurations generators transformers validators buildMetadata"
)
_KUSTOMIZATION_FIELDS = frozenset(name.lower() for name in _KUSTOMIZATION_JSON_NAMES.split())
_KUSTOMIZE_VERSIONS = {
    "Kustomization": "kustomize.config.k8s.io/v1beta1",
    "Component": "kustomize.config.k8s.io/v1alpha1",
}


def _kustomization(document: Document) -> list[Problem]:
    data = document.data
    kind = data["kind"]
    problems = [
        Problem(
            document.line((key,)),
            f'{kind}: unknown field "{key}" (kustomize: invalid Kustomization: json: unknown '
            "field)",
        )
        for key in data
        if isinstance(key, str) and key.lower() not in _KUSTOMIZATION_FIELDS
    ]
    wanted = _KUSTOMIZE_VERSIONS[kind]
    if data["apiVersion"] != wanted:
        problems.append(
            Problem(document.line(("apiVersion",)), f"apiVersion for {kind} should be {wanted}")
        )
    return problems


def program(api_version: str, kind: str) -> str | None:
    """What reads this file, when ``apiVersion``/``kind`` name a configuration file."""
    if (api_version, kind) == ("v1", "Config"):
        return "kubectl and client-go (a kubeconfig)"
    group, _, version = api_version.rpartition("/")
    entry = GROUPS.get(group)
    if entry is None or kind not in entry[1] or not _VERSION.match(version):
        return None
    return entry[0]


def unknown_kind(api_version: str, kind: str) -> str | None:
    """A message when the group is a configuration group but the kind is not one of its own."""
    group = api_version.rpartition("/")[0]
    entry = GROUPS.get(group)
    if entry is None or kind in entry[1] or not entry[1]:
        return None
    return f'unknown kind "{kind}" in apiVersion "{api_version}": {entry[0]} reads ' + ", ".join(
        sorted(entry[1])
    )


@functools.cache
def _kubeconfig_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_KUBECONFIG)


def check(document: Document, notes: list[Problem]) -> list[Problem]:
    data: dict[str, Any] = document.data
    if (data.get("apiVersion"), data.get("kind")) == ("v1", "Config"):
        return explain(_kubeconfig_validator().iter_errors(data), document, "Config")
    reader = program(data["apiVersion"], data["kind"])
    if data["apiVersion"].startswith("kustomize.config.k8s.io/"):
        problems = _kustomization(document)
        if not problems:
            notes.append(
                Problem(document.start, f"{data['kind']}: top-level fields checked (kustomize)")
            )
        return problems
    notes.append(Problem(document.start, f"{data['kind']}: {NOTE} (read by {reader})"))
    return []
