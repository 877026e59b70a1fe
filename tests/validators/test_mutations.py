"""Mutation test: realistic single mistakes in valid manifests, and how many are caught.

Every mutation changes one thing a post's author could get wrong (a typo in a field, an enum
in the wrong case, a port out of range, ``512MB``, a mount naming no volume, a name the API
server refuses, a kind config option that does not exist, ...) in one of the valid manifests
of ``manifests.py``. Each is something the API server (or kind, or the YAML parser) refuses.
With a fixed seed the set is the same on every run; the test asserts at least 95% caught in
all and at least 90% in every class, and prints the table when it fails.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable

from hooks.validators import ValidationContext, check_block
from tests.validators import manifests as m

Mutation = tuple[str, str]  # (text, what was changed)
Generator = Callable[[random.Random], Mutation | None]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _typo(rng: random.Random, word: str) -> str:
    """A typing mistake: a letter dropped, doubled, swapped or in the wrong case."""
    while True:
        i = rng.randrange(len(word))
        kind = rng.choice(["drop", "double", "swap", "case"])
        if kind == "drop" and len(word) > 3:
            typo = word[:i] + word[i + 1 :]
        elif kind == "double":
            typo = word[:i] + word[i] + word[i:]
        elif kind == "swap" and i < len(word) - 1:
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "case":
            typo = word[:i] + word[i].swapcase() + word[i + 1 :]
        else:
            continue
        if typo != word:
            return typo


def field_typo(rng: random.Random) -> Mutation:
    base = rng.choice(["pod", "deployment", "service", "statefulset", "job", "ingress", "pvc"])
    text = m.VALID[base]
    # field names only: block keys, not the keys of label maps written inline
    keys = sorted(set(re.findall(r"(?m)^\s*(?:- )?([a-zA-Z]+):", text)) - {"apiVersion"})
    key = rng.choice(keys)
    typo = _typo(rng, key)
    return re.sub(rf"\b{key}:", f"{typo}:", text, count=1), f"{base}: {key} -> {typo}"


def wrong_type(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("deployment", "replicas: 2", 'replicas: "2"'),
            ("pod", "containerPort: 80", 'containerPort: "80"'),
            ("pod", "value: production}", "value: 42}"),
            ("pod", "labels: {app: web}", "labels: {app: 1}"),
            ("pod", "example.com/owner: team-a", "example.com/owner: true"),
            ("service", "port: 80,", "port: 80.5,"),
            ("job", "backoffLimit: 4", "backoffLimit: four"),
            ("hpa", "maxReplicas: 10", "maxReplicas: [10]"),
            ("configmap", "LOG_LEVEL: info", "LOG_LEVEL: {level: info}"),
            ("job", "command: [perl", "command: perl"),
            ("pod", "mountPath: /data}", "mountPath: [/data]}"),
            ("secret", "username: admin", "username: 1234"),
            ("ingress", "port: {number: 80}", 'port: {number: "80"}'),
            ("pvc", "accessModes: [ReadWriteOnce]", "accessModes: ReadWriteOnce"),
            ("deployment", "containers:\n      - name: web", "containers:\n        name: web"),
            ("pdb", "matchLabels: {app: web}", "matchLabels: [app, web]"),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {new}"


def missing_required(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("deployment", "  selector:\n    matchLabels: {app: web}\n", ""),
            ("pod", "  - name: web\n    image: nginx:1.27\n", "  - image: nginx:1.27\n"),
            ("service", "{name: http, port: 80, ", "{name: http, "),
            ("hpa", "  maxReplicas: 10\n", ""),
            (
                "rolebinding",
                "roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}\n",
                "",
            ),
            (
                "ingress",
                "          service:\n            name: web\n",
                "          service:\n",
            ),
            ("storageclass", "provisioner: ebs.csi.aws.com\n", ""),
            ("pod", "    - {name: data, mountPath: /data}\n", "    - {name: data}\n"),
            (
                "hpa",
                "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}",
                "scaleTargetRef: {apiVersion: apps/v1, name: web}",
            ),
            ("pod", "- {name: MODE, value: production}", "- {value: production}"),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {old.strip()[:30]} -> {new.strip()[:20]}"


_DNS_KINDS = [
    ("ConfigMap", "v1"),
    ("Secret", "v1"),
    ("ServiceAccount", "v1"),
    ("PersistentVolumeClaim", "v1"),
    ("ResourceQuota", "v1"),
    ("LimitRange", "v1"),
    ("PodTemplate", "v1"),
    ("IngressClass", "networking.k8s.io/v1"),
    ("PriorityClass", "scheduling.k8s.io/v1"),
    ("Lease", "coordination.k8s.io/v1"),
    ("ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1"),
    ("DeviceClass", "resource.k8s.io/v1"),
    ("ResourceClaimTemplate", "resource.k8s.io/v1"),
]
_BAD_SUBDOMAINS = ["My-App", "my_app", "my-app-", "-my-app", "my app", "my..app", "app!", "a" * 254]


def bad_name(rng: random.Random) -> Mutation:
    roll = rng.random()
    if roll < 0.35:
        kind, api = rng.choice(_DNS_KINDS)
        name = rng.choice(_BAD_SUBDOMAINS)
        extra = "value: 1000\n" if kind == "PriorityClass" else ""
        text = f'apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: "{name}"\n{extra}'
        return text, f"{kind} named {name[:20]}"
    base = rng.choice(
        [
            "pod",
            "deployment",
            "statefulset",
            "job",
            "ingress",
            "pdb",
            "hpa",
            "storageclass",
            "webhook",
            "widget",
            "service",
            "cronjob",
            "pvc",
        ]
    )
    text = m.VALID[base]
    current = re.search(r"(?m)^(?:metadata: \{name: |  name: )([^,}\n]+)", text)[1]
    candidates = ["Web", "web_1", "web-", f"{current}!"]
    if base == "service":
        candidates += ["1web", "web.internal"]
    if base == "job":
        candidates.append("j" * 64)
    if base == "cronjob":
        candidates.append("c" * 53)
    name = rng.choice(candidates)
    return text.replace(f"name: {current}", f'name: "{name}"', 1), f"{base} named {name[:20]}"


def bad_label(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("pod", "labels: {app: web}", "labels: {my app: web}"),
            ("pod", "labels: {app: web}", "labels: {app: web server}"),
            ("pod", "labels: {app: web}", "labels: {app: -web}"),
            ("pod", "labels: {app: web}", "labels: {app: " + "w" * 64 + "}"),
            ("pod", "labels: {app: web}", "labels: {example.com/team/app: web}"),
            ("pod", "example.com/owner", "owner@example.com"),
            ("pod", "example.com/owner", "-owner"),
            ("deployment", "labels: {app: web}}", "labels: {app.kubernetes.io/: web}}"),
            ("service", "selector: {app: web}", "selector: {app: web/frontend}"),
            ("networkpolicy", "matchLabels: {app: web}", "matchLabels: {app: web_}"),
            ("pdb", "matchLabels: {app: web}", "matchLabels: {app: web app}"),
            ("statefulset", "labels: {app: db}", "labels: {app: db, version: 17.2-}"),
            ("job", "metadata: {name: pi}", "metadata: {name: pi, labels: {team: a/b}}"),
            ("pod", "example.com/owner", "example.com/" + "o" * 64),
            ("service", "metadata: {name: web}", "metadata: {name: web, labels: {_app: web}}"),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {new}"


_ENUMS = [
    ("pod", "imagePullPolicy: IfNotPresent", ["always", "IfNotPresents", "ifNotPresent", "Pull"]),
    ("pod", "restartPolicy: Always", ["always", "OnFail", "never"]),
    ("pod", "dnsPolicy: ClusterFirst", ["clusterFirst", "Cluster", "ClusterFirstWithHostnet"]),
    ("pod", "protocol: TCP", ["tcp", "HTTP", "Tcp"]),
    ("pod", "operator: Equal", ["Equals", "equal", "In"]),
    ("pod", "effect: NoSchedule", ["NoSchedules", "noSchedule"]),
    ("service", "type: NodePort", ["Nodeport", "nodePort", "LoadBalancers", "Ingress"]),
    ("service", "sessionAffinity: None", ["none", "ClientIp"]),
    ("deployment", "type: RollingUpdate", ["Rolling", "rollingUpdate", "Recreated"]),
    ("statefulset", "podManagementPolicy: Parallel", ["parallel", "Ordered"]),
    ("cronjob", "concurrencyPolicy: Forbid", ["forbid", "Deny"]),
    ("job", "restartPolicy: Never", ["Always", "never", "OnError"]),
    ("ingress", "pathType: Prefix", ["prefix", "Regex", "exact"]),
    ("pvc", "[ReadWriteOnce]", ["[ReadWriteOne]", "[RWO]", "[readWriteOnce]"]),
    ("pvc", "volumeMode: Filesystem", ["FileSystem", "Raw"]),
    ("storageclass", "volumeBindingMode: WaitForFirstConsumer", ["WaitForConsumer", "Lazy"]),
    ("hpa", "type: Utilization", ["Percent", "utilization"]),
    ("hpa", "- type: Resource", ["- type: resource", "- type: CPU"]),
    ("webhook", "failurePolicy: Fail", ["fail", "Reject"]),
    ("webhook", "sideEffects: None", ["none", "Some"]),
    ("networkpolicy", "policyTypes: [Ingress]", ["policyTypes: [ingress]", "policyTypes: [In]"]),
    ("rolebinding", "roleRef: {kind: Role", ["roleRef: {kind: role", "roleRef: {kind: Roles"]),
    ("pdb", "minAvailable: 50%", ["minAvailable: 50 %", "minAvailable: half"]),
]


def bad_enum(rng: random.Random) -> Mutation:
    base, old, wrongs = rng.choice(_ENUMS)
    field, _, _ = old.rpartition(" ")
    wrong = rng.choice(wrongs)
    new = wrong if wrong.startswith(field) or old.startswith("[") else f"{field} {wrong}"
    return _replace(m.VALID[base], old, new), f"{base}: {new}"


def out_of_range(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("pod", "containerPort: 80", f"containerPort: {rng.choice([0, 65536, 70000, -80])}"),
            ("service", "port: 80,", f"port: {rng.choice([0, 65536, 80000])},"),
            ("service", "targetPort: 9090", f"targetPort: {rng.choice([0, 99999])}"),
            ("deployment", "replicas: 2", f"replicas: {rng.choice([-1, 3000000000, 2**31])}"),
            ("deployment", "maxUnavailable: 0", "maxUnavailable: -1"),
            ("job", "backoffLimit: 4", "backoffLimit: -4"),
            ("hpa", "minReplicas: 2", f"minReplicas: {rng.choice([0, 11, 20])}"),
            ("hpa", "maxReplicas: 10", f"maxReplicas: {rng.choice([0, 1])}"),
            ("pdb", "minAvailable: 50%", "minAvailable: 150%"),
            ("webhook", "timeoutSeconds: 5", f"timeoutSeconds: {rng.choice([0, 31, 60])}"),
            ("pod", "httpGet: {path: /, port: http}", "httpGet: {path: /, port: 0}"),
            (
                "cronjob",
                '"*/5 * * * *"',
                rng.choice(['"0 24 * * *"', '"*/5 * * *"', '"61 * * * *"']),
            ),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {new}"


def bad_quantity(rng: random.Random) -> Mutation:
    wrong = rng.choice(["512MB", "1 Gi", "1gb", "128mb", "1,5Gi", "0.5 cpu", "128MiB", "2G B"])
    base, old, new = rng.choice(
        [
            ("pod", "memory: 128Mi", f"memory: {wrong}"),
            ("pod", "memory: 64Mi", f"memory: {wrong}"),
            ("pod", "cpu: 500m", f"cpu: {wrong}"),
            ("deployment", "memory: 256Mi", f"memory: {wrong}"),
            ("pvc", "storage: 10Gi", f"storage: {wrong}"),
            ("statefulset", "storage: 1Gi", f"storage: {wrong}"),
            ("pod", "cpu: 250m", "cpu: 750m"),  # request above its limit
            ("pod", "memory: 64Mi", "memory: 1Gi"),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {new}"


def broken_reference(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("pod", "{name: data, mountPath", "{name: date, mountPath"),
            ("pod", "  - name: data\n", "  - name: cache\n"),
            ("statefulset", "{name: data, mountPath", "{name: pgdata, mountPath"),
            ("deployment", "matchLabels: {app: web}", "matchLabels: {app: website}"),
            ("deployment", "labels: {app: web}\n    spec", "labels: {app: frontend}\n    spec"),
            (
                "pod",
                "{name: data, mountPath: /data}",
                "{name: data, mountPath: /data}\n    - {name: data, mountPath: /data}",
            ),
            ("service", "{name: metrics, port: 9090", "{name: http, port: 9090"),
            ("service", "{name: metrics, port: 9090", "{name: metrics, port: 80"),
            ("statefulset", "metadata: {name: data}", "metadata: {name: pg-data}"),
            (
                "pod",
                "{name: http, containerPort: 80, protocol: TCP}",
                "{name: http, containerPort: 80, protocol: TCP}\n"
                "    - {name: http, containerPort: 81}",
            ),
            ("pod", "mountPath: /data}", "mountPath: /data, subPath: ../etc}"),
            (
                "deployment",
                "      - name: web\n        image: nginx:1.27\n",
                "      - name: web\n        image: nginx:1.27\n"
                "      - name: web\n        image: envoy:1\n",
            ),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: {new.strip()[:40]}"


def server_required(rng: random.Random) -> Mutation:
    base, old, new = rng.choice(
        [
            ("pod", "    image: nginx:1.27\n", ""),
            ("deployment", "        image: nginx:1.27\n", ""),
            ("cronjob", "image: busybox:1.36, ", ""),
            ("job", "      restartPolicy: Never\n", ""),
            ("cronjob", "          restartPolicy: OnFailure\n", ""),
            ("pvc", "    requests: {storage: 10Gi}\n", "    requests: {}\n"),
            ("service", "{name: http, port: 80", "{port: 80"),
            ("role", "  verbs: [get, list, watch]\n", "  verbs: []\n"),
            ("webhook", "  admissionReviewVersions: [v1]\n", "  admissionReviewVersions: []\n"),
            ("pod", "      httpGet: {path: /, port: http}\n", "      periodSeconds: 5\n"),
            ("role", '- apiGroups: [""]\n  resources: [pods]\n', "- resources: [pods]\n"),
            ("ingress", "        pathType: Prefix\n", ""),
        ]
    )
    return _replace(m.VALID[base], old, new), f"{base}: without {old.strip()[:30]}"


def kind_config(rng: random.Random) -> Mutation:
    old, new = rng.choice(
        [
            ("- role: control-plane", "- role: master"),
            ("- role: worker", "- role: Worker"),
            ("- role: worker\n", "- role: worker\n  gpus: all\n"),
            ("podSubnet: 10.244.0.0/16", "podSubnet: 10.244.0.0/36"),
            ("podSubnet: 10.244.0.0/16", "podSubnet: 10.244.0/16"),
            ("podSubnet: 10.244.0.0/16", "podSubnet: 10.244.0.0/16\n  kubeProxyMode: userspace"),
            ("podSubnet: 10.244.0.0/16", "podSubnet: 10.244.0.0/16\n  apiServerAddress: localhost"),
            ("hostPort: 8080", 'hostPort: "8080"'),
            ("hostPort: 8080", "hostPort: 80800"),
            ("protocol: TCP", "protocol: HTTP"),
            ("extraPortMappings:", "extraPortMapping:"),
            (
                "{containerPort: 80, hostPort: 8080, protocol: TCP}",
                "{containerPort: 80, hostPort: 8080}\n  - {containerPort: 81, hostPort: 8080}",
            ),
            ("- role: control-plane\n", "- role: worker\n"),
        ]
    )
    return _replace(m.KIND_CLUSTER, old, new), f"kind: {new.strip()[:40]}"


def custom_resource(rng: random.Random) -> Mutation:
    old, new = rng.choice(
        [
            ("title: Élan vital", "title: 2 Élan"),
            ("title: Élan vital", "title: Élan vital!"),
            ("size: 3", "size: 0"),
            ("size: 3", "size: three"),
            ("size: 3", "sizee: 3"),
            ("tags: [blue]", "tags: blue"),
            ("tags: [blue]", "tags: [1]"),
            ("tags: [blue]", "tags: [blue]\n  colour: red"),
            ("name: my-widget}", "name: My_Widget}"),
            ("spec:\n", "specs:\n"),
        ]
    )
    return _replace(m.WIDGET, old, new), f"Widget: {new.strip()[:40]}"


def yaml_syntax(rng: random.Random) -> Mutation:
    """The slips of hand-edited YAML: a key twice, a tab, an unclosed brace, ``::``."""
    base = rng.choice(["pod", "deployment", "service", "configmap", "ingress"])
    lines = m.VALID[base].splitlines()
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*[a-zA-Z]+: \S", line)]
    i = rng.choice(keyed)
    roll = rng.randrange(4)
    if roll == 0:
        lines.insert(i, lines[i])
        what = "a key twice"
    elif roll == 1:
        lines[i] = "\t" + lines[i]
        what = "tab indentation"
    elif roll == 2:
        braced = [j for j, line in enumerate(lines) if "}" in line] or [i]
        i = rng.choice(braced)
        lines[i] = lines[i].replace("}", "", 1)
        what = "unclosed flow mapping"
    else:
        lines[i] = lines[i].replace(": ", ":: ", 1)
        what = "doubled colon"
    return "\n".join(lines) + "\n", f"{base}: {what} at line {i + 1}"


CLASSES: dict[str, Generator] = {
    "yaml syntax": yaml_syntax,
    "unknown field": field_typo,
    "wrong type": wrong_type,
    "missing required field": missing_required,
    "object name": bad_name,
    "label or annotation": bad_label,
    "enum value": bad_enum,
    "number out of range": out_of_range,
    "resource quantity": bad_quantity,
    "reference inside a pod": broken_reference,
    "required by the API server": server_required,
    "kind config": kind_config,
    "custom resource": custom_resource,
}
PER_CLASS = 40


def run() -> tuple[Counter, Counter, dict[str, list[str]]]:
    rng = random.Random(20261201)
    tried: Counter = Counter()
    caught: Counter = Counter()
    missed: dict[str, list[str]] = {}
    for name, generator in CLASSES.items():
        seen: set[str] = set()
        for _ in range(PER_CLASS * 10):  # distinct mutations only, as many as the class has
            if tried[name] == PER_CLASS:
                break
            text, what = generator(rng)
            if text in seen:
                continue
            seen.add(text)
            context = ValidationContext()
            check_block("yaml", m.CRD, context)
            tried[name] += 1
            if check_block("yaml", text, context):
                caught[name] += 1
            else:
                missed.setdefault(name, []).append(what)
    return tried, caught, missed


def test_realistic_single_mistakes_are_caught():
    tried, caught, missed = run()
    table = "\n".join(
        f"{name:28} {caught[name]:3}/{tried[name]:3} = {caught[name] / tried[name]:.0%}"
        + (f"  missed: {missed[name][:4]}" if name in missed else "")
        for name in CLASSES
    )
    total = sum(caught.values()) / sum(tried.values())
    print(f"\n{table}\nall: {sum(caught.values())}/{sum(tried.values())} = {total:.1%}")
    assert total >= 0.95, table
    for name in CLASSES:
        assert caught[name] / tried[name] >= 0.90, table
