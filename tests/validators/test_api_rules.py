"""The API server's rules beyond the schema, one case per rule and per false-positive class.

Each invalid case is a valid manifest (``manifests.py``) with one realistic mistake, and names
the line and the words the author reads; the valid cases are the false positives issue 22
found (null ``spec:`` of a custom resource, configuration files, go-yaml's ``\\'`` escape,
kind's lower-case protocol, nameless review objects).
"""

from __future__ import annotations

import pytest

from hooks.validators import ValidationContext, check_block
from tests.validators import manifests as m


def problems(text: str, context: ValidationContext | None = None) -> list[tuple[int, str]]:
    context = context if context is not None else ValidationContext()
    check_block("yaml", m.CRD, context)
    return [(p.line, p.message) for p in check_block("yaml", text, context)]


@pytest.mark.parametrize("name", sorted(m.VALID))
def test_valid_manifests_pass(name):
    assert problems(m.VALID[name]) == []


def mutate(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (base, old, new, line, words the message contains)
RULES = [
    # names per kind (ValidateObjectMeta with each kind's name function)
    ("deployment", "name: web, labels", "name: Web_App, labels", 3, "RFC 1123 subdomain"),
    ("service", "name: web}", "name: 1web}", 3, "DNS-1035 label"),
    ("pod", "  name: web\n", "  name: web.\n", 4, "RFC 1123 subdomain"),
    ("rolebinding", 'name: "system:read-pods"', 'name: "read/pods"', 3, "may not contain '/'"),
    ("configmap", "name: settings}", "name: settings, generateName: Bad_}", 3, "generateName"),
    ("pvc", "name: data}", "name: data, namespace: My.NS}", 3, "RFC 1123 label"),
    ("job", "name: pi}", "name: " + "p" * 64 + "}", 3, "job-name label"),
    ("cronjob", "name: hello}", "name: " + "h" * 53 + "}", 3, "no more than 52 characters"),
    ("storageclass", "name: fast}", "name: Fast}", 3, "RFC 1123 subdomain"),
    ("hpa", "name: web}", "name: web_1}", 3, "RFC 1123 subdomain"),
    ("pdb", "name: web}", "name: -web}", 3, "RFC 1123 subdomain"),
    ("webhook", "name: policy.example.com}", "name: Policy}", 3, "RFC 1123 subdomain"),
    ("widget", "name: my-widget}", "name: My_Widget}", 3, "RFC 1123 subdomain"),
    # labels, annotations, selectors (ValidateLabels, ValidateAnnotations)
    ("pod", "labels: {app: web}", "labels: {my app: web}", 5, "name part must consist"),
    ("pod", "labels: {app: web}", "labels: {app: " + "w" * 64 + "}", 5, "no more than 63"),
    ("pod", "example.com/owner", "example.com/owner/x", 6, "qualified name"),
    ("pod", "example.com/owner", "Example_Com/owner", 6, "prefix part"),
    (
        "deployment",
        "matchLabels: {app: web}",
        "matchLabels: {app: web, tier: -x}",
        10,
        "valid label",
    ),
    # enums (field.NotSupported)
    (
        "pod",
        "imagePullPolicy: IfNotPresent",
        "imagePullPolicy: always",
        13,
        '"Always", "IfNotPresent"',
    ),
    ("pod", "restartPolicy: Always", "restartPolicy: always", 8, '"Always", "OnFailure", "Never"'),
    ("pod", "dnsPolicy: ClusterFirst", "dnsPolicy: clusterFirst", 9, '"ClusterFirst"'),
    ("pod", "protocol: TCP", "protocol: tcp", 15, '"SCTP", "TCP", "UDP"'),
    ("pod", "operator: Equal", "operator: Equals", 26, '"Equal", "Exists", "Gt", "Lt"'),
    ("service", "type: NodePort", "type: Nodeport", 5, '"ClusterIP", "ExternalName"'),
    ("service", "sessionAffinity: None", "sessionAffinity: none", 7, '"ClientIP", "None"'),
    ("deployment", "type: RollingUpdate", "type: Rolling", 7, '"Recreate", "RollingUpdate"'),
    (
        "statefulset",
        "podManagementPolicy: Parallel",
        "podManagementPolicy: parallel",
        7,
        "OrderedReady",
    ),
    ("cronjob", "concurrencyPolicy: Forbid", "concurrencyPolicy: forbid", 6, '"Allow", "Forbid"'),
    ("job", "restartPolicy: Never", "restartPolicy: Always", 9, '"OnFailure", "Never"'),
    ("ingress", "pathType: Prefix", "pathType: prefix", 11, '"Exact", "ImplementationSpecific"'),
    ("pvc", "[ReadWriteOnce]", "[ReadWriteOne]", 5, '"ReadWriteOncePod"'),
    ("pvc", "volumeMode: Filesystem", "volumeMode: FileSystem", 6, '"Block", "Filesystem"'),
    ("storageclass", "reclaimPolicy: Delete", "reclaimPolicy: Recycle", 5, '"Delete", "Retain"'),
    ("hpa", "type: Utilization", "type: Percent", 12, '"AverageValue", "Utilization"'),
    ("webhook", "sideEffects: None", "sideEffects: Unknown", 7, '"None", "NoneOnDryRun"'),
    ("webhook", "[CREATE, UPDATE]", "[CREATE, PATCH]", 13, '"CONNECT", "CREATE"'),
    ("networkpolicy", "policyTypes: [Ingress]", "policyTypes: [Inbound]", 7, '"Egress", "Ingress"'),
    ("rolebinding", "roleRef: {kind: Role", "roleRef: {kind: role", 7, '"ClusterRole", "Role"'),
    ("rolebinding", "{kind: User, name: jane,", "{kind: Users, name: jane,", 6, '"Group"'),
    # required fields the schema leaves optional
    ("pod", "    image: nginx:1.27\n", "", 11, "image: Required value"),
    ("deployment", "        image: nginx:1.27\n", "", 16, "image: Required value"),
    ("job", "      restartPolicy: Never\n", "", 8, "restartPolicy: Required value"),
    ("ingress", "        pathType: Prefix\n", "", 10, 'missing required field "pathType"'),
    ("pvc", "    requests: {storage: 10Gi}\n", "    requests: {}\n", 8, "storage: Required"),
    ("service", "{name: http, port: 80", "{port: 80", 9, "name: Required value"),
    ("webhook", "  sideEffects: None\n", "", 5, 'missing required field "sideEffects"'),
    ("role", "  verbs: [get, list, watch]\n", "  verbs: []\n", 7, "verbs: Required value"),
    (
        "pod",
        "      httpGet: {path: /, port: http}\n",
        "      initialDelaySeconds: 3\n",
        23,
        "handler",
    ),
    # ranges: ports, int32, counts
    ("pod", "containerPort: 80", "containerPort: 70000", 15, "between 1 and 65535"),
    (
        "service",
        "port: 9090, targetPort: 9090",
        "port: 9090, targetPort: 0",
        10,
        "between 1 and 65535",
    ),
    ("service", "targetPort: http", "targetPort: http-metrics-port", 9, "no more than 15"),
    ("deployment", "replicas: 2", "replicas: 3000000000", 5, "does not fit in an int32"),
    ("deployment", "replicas: 2", "replicas: -1", 5, "greater than or equal to 0"),
    ("deployment", "maxSurge: 25%", "maxSurge: 25 percent", 8, "percent"),
    ("deployment", "maxSurge: 25%", "maxSurge: 0", 8, "may not be 0 when `maxSurge` is 0"),
    ("hpa", "minReplicas: 2", "minReplicas: 20", 7, "greater than or equal to `minReplicas`"),
    ("hpa", "minReplicas: 2", "minReplicas: 0", 6, "greater than or equal to 1"),
    ("pdb", "minAvailable: 50%", "minAvailable: 150%", 5, "greater than 100%"),
    ("webhook", "timeoutSeconds: 5", "timeoutSeconds: 60", 9, "between 1 and 30"),
    ("cronjob", '"*/5 * * * *"', '"*/5 * * *"', 5, "expected exactly 5 fields"),
    ("cronjob", '"*/5 * * * *"', '"0 25 * * *"', 5, "out of range"),
    # resource quantities (resource.ParseQuantity)
    ("pod", "memory: 128Mi", "memory: 512MB", 20, "quantities must match"),
    ("pod", "cpu: 250m", "cpu: 250 m", 19, "quantities must match"),
    ("pvc", "storage: 10Gi", "storage: 10GB", 8, "quantities must match"),
    ("pod", "cpu: 250m", "cpu: 750m", 19, "less than or equal to cpu limit"),
    ("pod", "requests: {cpu: 250m", "requests: {gpu: 1, cpu: 250m", 19, "standard resource"),
    # references inside a pod (ValidateVolumeMounts, validateContainers)
    ("pod", "{name: data, mountPath", "{name: date, mountPath", 22, 'Not found: "date"'),
    ("statefulset", "{name: data, mountPath", "{name: pgdata, mountPath", 18, "Not found"),
    ("deployment", "matchLabels: {app: web}", "matchLabels: {app: api}", 10, "not among"),
    ("pod", "  - name: data\n", "  - name: Data\n", 28, "RFC 1123 label"),
    (
        "pod",
        "{name: http, containerPort: 80",
        "{name: http_port, containerPort: 80",
        15,
        "alpha-numeric",  # codespell:ignore
    ),
    (
        "pod",
        "- {name: MODE, value: production}",
        "- {name: MODE=1, value: production}",
        17,
        "other than '='",
    ),
    # data keys and encodings
    ("configmap", "LOG_LEVEL: info", "LOG LEVEL: info", 6, "valid config key"),
    ("secret", "password: cGFzc3dvcmQ=", "password: password!", 6, "base64"),
    # networking
    ("ingress", "host: www.example.com", "host: 10.0.0.1", 7, "not an IP address"),
    ("ingress", "host: www.example.com", "host: WWW.example.com", 7, "RFC 1123 subdomain"),
    ("ingress", "path: /\n", "path: api\n", 10, "absolute path"),
    ("ingress", "port: {number: 80}", "port: {number: 80, name: http}", 15, "both port name"),
    ("networkpolicy", "cidr: 10.0.0.0/16", "cidr: 10.0.0.0/33", 10, "valid CIDR"),
    # RBAC and webhooks
    (
        "rolebinding",
        "pod-reader, apiGroup: rbac.authorization.k8s.io}",
        "pod-reader, apiGroup: rbac}",
        7,
        "rbac.authorization",
    ),
    ("role", '- apiGroups: [""]\n', "- apiGroups: []\n", 5, "at least one api group"),
    ("webhook", "- name: pods.policy.example.com", "- name: pods", 5, "three segments"),
]


@pytest.mark.parametrize(
    ("base", "old", "new", "line", "words"),
    [pytest.param(*case, id=f"{case[0]}:{case[4][:40]}") for case in RULES],
)
def test_rule_refuses_one_mistake(base, old, new, line, words):
    found = problems(mutate(m.VALID[base], old, new))
    assert any(at == line and words in message for at, message in found), found


def test_crd_patterns_use_go_syntax_and_bad_patterns_are_the_crds_problem():
    context = ValidationContext()
    assert problems(m.WIDGET, context) == []
    bad = mutate(m.WIDGET, "title: Élan vital", "title: 1 Élan")
    assert problems(bad, context) == [
        (5, r"Widget.spec.title: '1 Élan' does not match '^\\p{L}[\\p{L} ]*\\z'")
    ]
    for pattern, reason in (("[a-", "missing ]: [a-"), ("^(?=a)", "invalid perl operator: (?=")):
        crd = mutate(m.CRD, r"'^\p{L}[\p{L} ]*\z'", f"'{pattern}'")
        found = check_block("yaml", crd, ValidationContext())
        assert [(p.line, p.message) for p in found] == [
            (
                19,
                "CustomResourceDefinition.spec.versions[0].schema.openAPIV3Schema.properties"
                ".spec.properties.title.pattern: must be a valid regular expression, but "
                f"isn't: {reason}",
            )
        ]


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("items: {type: string}", "items:\n                - {type: string}", 23, "not an array"),
        ("size: {type: integer, minimum: 1}", "size: {minimum: 1}", 20, "type: must not be empty"),
        ("name: widgets.example.com}", "name: widget.example.com}", 3, 'spec.names.plural+"."'),
        ("storage: true", "storage: false", 8, "exactly one version marked as storage"),
        ("type: array", "type: array\n                uniqueItems: true", 23, "quadratic"),
    ],
)
def test_structurally_invalid_crds_are_refused_and_not_registered(old, new, line, words):
    context = ValidationContext()
    found = [(p.line, p.message) for p in check_block("yaml", mutate(m.CRD, old, new), context)]
    assert any(at == line and words in message for at, message in found), found
    assert context.custom_resources == {}


# --- false positives of issue 22: accepted as the API server / kubectl / kind accept them ----


def test_custom_resource_with_null_spec_is_pruned_then_valid():
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n"
    assert problems(widget) == []
    assert problems(widget + "  # TODO(user): add fields\n") == []


def test_null_spec_of_a_crd_that_requires_spec_says_why():
    crd = mutate(
        m.CRD,
        "        type: object\n        properties:\n",
        "        type: object\n        required: [spec]\n        properties:\n",
    )
    context = ValidationContext()
    assert check_block("yaml", crd, context) == []
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n"
    (problem,) = check_block("yaml", widget, context)
    assert problem.line == 4
    assert 'missing required field "spec" (it is null here, and the API server prunes' in (
        problem.message
    )


CONFIG_FILES = [
    "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
    "- name: PodSecurity\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1,"
    " kind: PodSecurityConfiguration, defaults: {enforce: baseline}}\n",
    "apiVersion: apiserver.k8s.io/v1beta1\nkind: EgressSelectorConfiguration\n"
    "egressSelections:\n- name: cluster\n  connection: {proxyProtocol: GRPC}\n",
    "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n",
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
    "cgroupDriver: systemd\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.0\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration: {name: n}\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery: {}\n",
    "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n",
]


@pytest.mark.parametrize("text", CONFIG_FILES, ids=lambda t: t.split("kind: ")[1].split("\n")[0])
def test_configuration_files_are_recognised_not_unknown(text):
    context = ValidationContext()
    assert check_block("yaml", text, context) == []
    (note,) = context.notes
    assert "configuration file, not an API object: checked as YAML only" in note.message


def test_kustomization_top_level_fields_are_checked_as_kustomize_decodes_them():
    text = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: demo\n"
        "resources: [deployment.yaml]\nimages:\n- {name: nginx, newTag: '1.27'}\n"
    )
    context = ValidationContext()
    assert check_block("yaml", text, context) == []
    assert [n.message for n in context.notes] == [
        "Kustomization: top-level fields checked (kustomize)"
    ]
    assert problems(text.replace("resources:", "resource:")) == [
        (
            4,
            'Kustomization: unknown field "resource" (kustomize: invalid Kustomization: json: '
            "unknown field)",
        )
    ]
    assert problems(text.replace("namespace:", "Namespace:")) == []  # case-insensitive
    assert problems(text.replace("v1beta1", "v1alpha1")) == [
        (1, "apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1")
    ]


def test_kubeconfig_is_checked_against_its_own_types():
    config = (
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kind-demo\n  cluster:\n"
        "    server: https://127.0.0.1:6443\n    certificate-authority-data: Zm9v\n"
        "contexts:\n- name: kind-demo\n  context: {cluster: kind-demo, user: kind-demo}\n"
        "users:\n- name: kind-demo\n  user: {token: abc}\ncurrent-context: kind-demo\n"
    )
    assert problems(config) == []
    assert problems(config.replace("server:", "sever:")) == [
        (6, 'Config.clusters[0].cluster: unknown field "sever"')
    ]


def test_unknown_kind_in_a_configuration_group_names_the_kinds():
    ((line, message),) = problems("apiVersion: audit.k8s.io/v1\nkind: Policyy\nrules: []\n")
    assert (line, message) == (
        2,
        'unknown kind "Policyy" in apiVersion "audit.k8s.io/v1": kube-apiserver\'s audit log '
        "reads Policy",
    )


def test_backslash_quote_escape_reads_as_go_yaml_does():
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  k: "it\\\'s"\n'
    assert problems(text) == []
    assert problems(text + "  j: [\n") == [
        (
            6,
            "YAML syntax error: while parsing a flow node, expected the node content, but "
            "found '<stream end>'",
        )
    ]


def test_kind_upper_cases_protocol_and_has_no_gpus():
    lower = mutate(m.KIND_CLUSTER, "protocol: TCP", "protocol: udp")
    assert problems(lower) == []
    assert problems(mutate(m.KIND_CLUSTER, "protocol: TCP", "protocol: quic")) == [
        (
            6,
            'Cluster.nodes[0].extraPortMappings[0].protocol: must be one of "TCP", "UDP", '
            '"SCTP", got string "QUIC"',
        )
    ]
    gpus = mutate(m.KIND_CLUSTER, "- role: worker\n", "- role: worker\n  gpus: all\n")
    assert problems(gpus) == [(8, 'Cluster.nodes[1]: unknown field "gpus"')]


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec:\n"
        "  resourceAttributes: {verb: get, resource: pods}\n",
        "apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n"
        "  user: jane\n  resourceAttributes: {verb: get, resource: pods}\n",
        "apiVersion: authorization.k8s.io/v1\nkind: LocalSubjectAccessReview\nmetadata:\n"
        "  namespace: dev\nspec:\n  user: jane\n"
        "  resourceAttributes: {verb: get, resource: pods}\n",
        "apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectRulesReview\n"
        "spec: {namespace: dev}\n",
        "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\n",
        "apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec: {token: abc}\n",
    ],
    ids=lambda t: t.split("kind: ")[1].split("\n")[0],
)
def test_review_objects_need_no_name(text):
    assert problems(text) == []


def test_other_objects_still_need_a_name():
    assert problems("apiVersion: v1\nkind: ServiceAccount\nmetadata: {}\n") == [
        (3, 'ServiceAccount.metadata: missing required field "name"')
    ]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n",
            "PodSecurityPolicy was removed in Kubernetes 1.25",
        ),
        (
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n",
            "Kubernetes 1.37 serves Ingress as networking.k8s.io/v1",
        ),
    ],
)
def test_removed_apis_are_refused_with_a_hint(text, hint):
    ((line, message),) = problems(text)
    assert line == 2 and hint in message


# Valid variants the rules must not refuse (several found in upstream examples while porting).
VALID_VARIANTS = [
    ("pod", "operator: Equal, value: web", "operator: Gt, value: '900'"),
    ("pod", "  restartPolicy: Always\n", "  restartPolicy: Never\n"),
    ("pod", "    imagePullPolicy: IfNotPresent\n", "    restartPolicy: Never\n"),
    ("pod", "  dnsPolicy: ClusterFirst\n", "  resources:\n    limits: {cpu: '2', pids: '2048'}\n"),
    (
        "pod",
        "  dnsPolicy: ClusterFirst\n",
        "  dnsPolicy: None\n  dnsConfig: {nameservers: [1.1.1.1]}\n",
    ),
    ("pod", "  name: web\n", "  generateName: web-\n"),
    ("pod", "cpu: 500m, memory: 128Mi", "cpu: 500m, memory: 128Mi, example.com/gpu: 1"),
    ("pod", "requests: {cpu: 250m", "requests: {cpu: 0.25"),
    ("ingress", "host: www.example.com", "host: '*.example.com'"),
    ("rolebinding", "pod-reader, apiGroup", "'system:pod-reader', apiGroup"),
    ("service", "type: NodePort", "type: ClusterIP\n  clusterIP: None"),
    ("deployment", "maxSurge: 25%, maxUnavailable: 0", "maxSurge: 1, maxUnavailable: 10%"),
    ("cronjob", '"*/5 * * * *"', '"@hourly"'),
    ("cronjob", '"*/5 * * * *"', '"0 9-17/2 * * mon-fri"'),
    ("configmap", "LOG_LEVEL: info", ".hidden-key: info"),
    ("secret", "password: cGFzc3dvcmQ=", "password: |\n    cGFzc3dv\n    cmQ="),
]


@pytest.mark.parametrize(("base", "old", "new"), VALID_VARIANTS, ids=lambda v: str(v)[:30])
def test_valid_variants_are_accepted(base, old, new):
    assert problems(mutate(m.VALID[base], old, new)) == []


def test_a_long_job_name_is_fine_with_a_manual_selector():
    long = mutate(m.JOB, "name: pi}", "name: " + "p" * 70 + "}")
    assert [line for line, _ in problems(long)] == [3]
    manual = mutate(
        mutate(
            long,
            "  backoffLimit: 4\n",
            "  backoffLimit: 4\n  manualSelector: true\n  selector: {matchLabels: {app: pi}}\n",
        ),
        "    spec:\n      restartPolicy",
        "    metadata: {labels: {app: pi}}\n    spec:\n      restartPolicy",
    )
    assert problems(manual) == []
