"""Table-driven cases for ``check_block``: valid blocks pass, invalid ones name line and cause."""

from __future__ import annotations

import textwrap

import pytest

from hooks.validators import SUPPORTED, Problem, ValidationContext, check_block


def block(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


DEPLOYMENT = block(
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            imagePullPolicy: IfNotPresent
            ports:
            - containerPort: 80
            resources:
              limits: {cpu: 500m, memory: 128Mi}
    """
)

CRD = block(
    """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [size]
                properties:
                  size: {type: integer, minimum: 1}
                  port:
                    x-kubernetes-int-or-string: true
                  labels:
                    type: object
                    additionalProperties: {type: string}
                  extra:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
    """
)

# (language, text, expected problems as (line, message))
CASES = [
    pytest.param("yaml", DEPLOYMENT, [], id="yaml-valid-deployment"),
    pytest.param(
        "yaml",
        DEPLOYMENT.replace("imagePullPolicy:", "imagePullPolicyy:"),
        [(16, 'Deployment.spec.template.spec.containers[0]: unknown field "imagePullPolicyy"')],
        id="yaml-unknown-field",
    ),
    pytest.param(
        "yaml",
        DEPLOYMENT.replace("replicas: 2", "replicas: two").replace(
            "containerPort: 80", "containerPort: http"
        ),
        [
            (6, 'Deployment.spec.replicas: expected integer, got string "two"'),
            (
                18,
                "Deployment.spec.template.spec.containers[0].ports[0].containerPort: "
                'expected integer, got string "http"',
            ),
        ],
        id="yaml-wrong-type",
    ),
    pytest.param(
        "yaml",
        DEPLOYMENT.replace("  selector:\n    matchLabels: {app: web}\n", ""),
        [(5, 'Deployment.spec: missing required field "selector"')],
        id="yaml-missing-required",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata: {k: v}\n",
        [(5, 'duplicate key "name" (first at line 4)')],
        id="yaml-duplicate-key",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: &x\n  k: *x\n",
        [(4, "YAML: an alias refers to a node that contains it (recursive structure)")],
        id="yaml-recursive-alias",
    ),
    pytest.param(
        "yaml",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(8)
        ),
        [(1, "YAML: more than 100000 nodes once aliases are expanded")],
        id="yaml-alias-bomb",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - null\n"
        "  - {name: c, image: busybox}\n",
        [],
        id="yaml-null-list-entry-does-not-crash",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n",
        [(3, 'ConfigMap.metadata: missing required field "name"')],
        id="yaml-missing-name",
    ),
    pytest.param(
        "yaml",
        DEPLOYMENT.replace("name: web\n", "name: Web_App\n", 1),
        [
            (
                4,
                'Deployment.metadata.name: Invalid value: "Web_App": a lowercase RFC 1123 '
                "subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                "must start and end with an alphanumeric character",
            )
        ],
        id="yaml-name-not-dns",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: 1st-svc}\nspec:\n  ports: [{port: 80}]\n",
        [
            (
                3,
                'Service.metadata.name: Invalid value: "1st-svc": a DNS-1035 label must consist '
                "of lower case alphanumeric characters or '-', start with an alphabetic "
                "character, and end with an alphanumeric character",
            )
        ],
        id="yaml-service-name-starts-with-letter",
    ),
    pytest.param(
        "yaml",
        DEPLOYMENT.replace("labels: {app: web}", "labels: {app: website}"),
        [
            (
                8,
                "Deployment.spec.selector: matchLabels app=web not among the pod template's "
                "labels (the API server refuses a selector that does not match its template)",
            )
        ],
        id="yaml-selector-does-not-match-template",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: app\n    image: busybox\n    ports:\n"
        "    - {name: http-metrics-endpoint, containerPort: 9090}\n"
        "  - name: app\n    image: busybox\n  - name: Side_Car\n    image: busybox\n",
        [
            (
                9,
                'Pod.spec.containers[0].ports[0].name: Invalid value: "http-metrics-endpoint": '
                "must be no more than 15 characters",
            ),
            (10, 'Pod.spec.containers[1].name: Duplicate value: "app"'),
            (
                12,
                'Pod.spec.containers[2].name: Invalid value: "Side_Car": a lowercase RFC 1123 '
                "label must consist of lower case alphanumeric characters or '-', and must "
                "start and end with an alphanumeric character",
            ),
        ],
        id="yaml-container-and-port-names",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
        "  - port: 80\n    targetPort: http\n---\napiVersion: v1\nkind: Pod\n"
        "metadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n"
        '    command: [sleep, "1"]\n    resourcess: {}\n',
        [(17, 'Pod.spec.containers[0]: unknown field "resourcess"')],
        id="yaml-multi-document-lines-count-from-block-start",
    ),
    pytest.param(
        "yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n",
        [
            (
                2,
                'unknown kind "Gadget" in apiVersion "example.com/v1": not a Kubernetes 1.37 '
                "kind and no CustomResourceDefinition for it earlier on this page",
            )
        ],
        id="yaml-unknown-kind",
    ),
    pytest.param(
        "yaml",
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n",
        [
            (
                2,
                'unknown kind "Deployment" in apiVersion "extensions/v1beta1": not a Kubernetes '
                "1.37 kind and no CustomResourceDefinition for it earlier on this page "
                "(Kubernetes 1.37 serves Deployment as apps/v1)",
            )
        ],
        id="yaml-removed-api-version-hint",
    ),
    pytest.param(
        "yaml",
        "kind: Pod\nmetadata: {name: p}\n",
        [(1, 'missing "apiVersion": every document needs both')],
        id="yaml-missing-api-version",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p\n",
        [
            (
                3,
                "YAML syntax error: while parsing a flow mapping, expected ',' or '}', but got "
                "'<stream end>'",
            )
        ],
        id="yaml-syntax-error",
    ),
    pytest.param(
        "yaml",
        block(
            """
            kind: Cluster
            apiVersion: kind.x-k8s.io/v1alpha4
            name: demo
            nodes:
            - role: control-plane
              image: kindest/node:v1.33.1
              labels: {ingress-ready: "true"}
              kubeadmConfigPatches:
              - |
                kind: InitConfiguration
                nodeRegistration:
                  kubeletExtraArgs:
                    node-labels: "ingress-ready=true"
              extraPortMappings:
              - containerPort: 80
                hostPort: 8080
                listenAddress: 127.0.0.1
                protocol: TCP
              extraMounts:
              - hostPath: /tmp/data
                containerPath: /data
                readOnly: true
                propagation: HostToContainer
            - role: worker
            networking:
              podSubnet: 10.244.0.0/16
              disableDefaultCNI: false
              kubeProxyMode: ipvs
            featureGates: {InPlacePodVerticalScaling: true}
            runtimeConfig: {"api/alpha": "false"}
            containerdConfigPatches:
            - |-
              [plugins."io.containerd.grpc.v1.cri".registry]
                config_path = "/etc/containerd/certs.d"
            kubeadmConfigPatchesJSON6902:
            - group: kubeadm.k8s.io
              version: v1beta3
              kind: ClusterConfiguration
              patch: |
                - op: add
                  path: /apiServer/certSANs/-
                  value: my-hostname
            containerdConfigPatchesJSON6902:
            - |
              - op: add
                path: /plugins/io.containerd.grpc.v1.cri/registry/config_path
                value: /etc/containerd/certs.d
            """
        ),
        [],
        id="kind-config-valid",
    ),
    pytest.param(
        "yaml",
        block(
            """
            kind: Cluster
            apiVersion: kind.x-k8s.io/v1alpha4
            nodes:
            - role: master
              extraPortMappings:
              - containerPort: 80
                hostPort: "8080"
                listenAddr: 0.0.0.0
            networking:
              kubeProxyMode: userspace
            """
        ),
        [
            (
                4,
                'Cluster.nodes[0].role: must be one of "control-plane", "worker", got string '
                '"master"',
            ),
            (
                7,
                "Cluster.nodes[0].extraPortMappings[0].hostPort: expected integer, got string "
                '"8080"',
            ),
            (8, 'Cluster.nodes[0].extraPortMappings[0]: unknown field "listenAddr"'),
            (
                10,
                'Cluster.networking.kubeProxyMode: must be one of "iptables", "ipvs", '
                '"nftables", "none", got string "userspace"',
            ),
        ],
        id="kind-config-bad-fields",
    ),
    pytest.param(
        "yaml",
        block(
            """
            kind: Cluster
            apiVersion: kind.x-k8s.io/v1alpha4
            nodes:
            - role: worker
            networking:
              podSubnet: 10.244.0.0/66
            kubeadmConfigPatches:
            - "just a string"
            """
        ),
        [
            (
                3,
                "Cluster.nodes: must have at least one control-plane node (a node without role "
                "is a control-plane)",
            ),
            (6, "Cluster.networking.podSubnet: '10.244.0.0/66' is not a CIDR"),
            (
                8,
                "Cluster.kubeadmConfigPatches[0]: a kubeadm patch is a YAML mapping with the "
                "`kind` of the kubeadm object it patches",
            ),
        ],
        id="kind-config-semantics",
    ),
    pytest.param(
        "yaml",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"
        "  extraPortMappings:\n  - {containerPort: 80, hostPort: 8080}\n"
        "  - {containerPort: 81, hostPort: 8080, listenAddress: 127.0.0.1}\n"
        "  - {containerPort: 82, hostPort: 8080, protocol: UDP}\n"
        "  - {containerPort: 83, hostPort: 0}\n  - {containerPort: 84, hostPort: 0}\n",
        [
            (
                7,
                "Cluster.nodes[0].extraPortMappings[1]: host port 8080/TCP on 127.0.0.1 is "
                "already mapped by an earlier extraPortMapping of this node",
            )
        ],
        id="kind-config-port-clash",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {name: a}\n  data: {k: v}\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {name: b}\n  dataa: {k: v}\n",
        [(11, 'ConfigMap: unknown field "dataa"')],
        id="yaml-list-items-checked-one-by-one",
    ),
    pytest.param(
        "yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations: {a: 1}\nspec:\n"
        "  ports: [{port: 80, targetPort: 8080}]\n---\napiVersion: v1\nkind: Pod\n"
        "metadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n"
        "    resources: {requests: {cpu: 1, memory: 1.5Gi}, limits: {cpu: 2}}\n"
        "---\napiVersion: v1\nkind: PodList\nmetadata: {}\nitems: []\n",
        [(5, "Service.metadata.annotations.a: expected string, got integer 1")],
        id="yaml-int-or-string-quantities-lists-ok-annotations-strings",
    ),
    pytest.param("bash", 'set -eu\nname=world\necho "hello $name"\n', [], id="bash-valid"),
    pytest.param(
        "bash",
        "echo start\nif true; then\n  echo inside\n",
        [(3, "bash: syntax error: unexpected end of file")],
        id="bash-syntax-error",
    ),
    pytest.param(
        "sh",
        "echo ok\nfi\n",
        [(2, "bash: syntax error near unexpected token `fi'")],
        id="sh-syntax-error",
    ),
    pytest.param(
        "bash",
        'dir="$1"\nrm -rf $dir/\n',
        [(2, 'shellcheck SC2115 (warning): Use "${var:?}" to ensure this never expands to / .')],
        id="bash-shellcheck-warning",
    ),
    pytest.param(
        "console",
        block(
            """
            $ kind create cluster --name demo
            Creating cluster "demo" ...
            $ cd /tmp
            $ cat <<EOF
            > hello
            > EOF
            hello
            $ kubectl get nodes
            NAME                 STATUS   ROLES           AGE   VERSION
            demo-control-plane   Ready    control-plane   1m    v1.33.1 (re)
            """
        ),
        [],
        id="console-valid",
    ),
    pytest.param(
        "console",
        '$ echo start\nstart\n$ for f in *; do\n> echo "$f"\nfile.txt\n',
        [(4, "bash: syntax error: unexpected end of file")],
        id="console-syntax-error-mapped-to-transcript-line",
    ),
    pytest.param(
        "console",
        "$ echo hi\nhi\n$ target=/\nhi\n$ rm -rf $target/\n",
        [(5, 'shellcheck SC2115 (warning): Use "${var:?}" to ensure this never expands to / .')],
        id="console-shellcheck-warning-mapped",
    ),
    pytest.param("python", "def f(x):\n    return x * 2\n\nprint(f(2))\n", [], id="python-valid"),
    pytest.param(
        "python",
        "import os\n\ndef f(:\n    pass\n",
        [(3, "SyntaxError: invalid syntax")],
        id="python-syntax-error",
    ),
    pytest.param(
        "python",
        "if True:\n    x = 1\n  y = 2\n",
        [(3, "IndentationError: unindent does not match any outer indentation level")],
        id="python-indentation",
    ),
    pytest.param(
        "dockerfile",
        block(
            """
            # syntax=docker/dockerfile:1
            ARG BASE=alpine:3.20
            FROM ${BASE} AS build
            RUN <<EOF
            apk add --no-cache curl
            echo done
            EOF
            COPY --from=build /bin/sh \\
                 /out/sh
            CMD ["sh"]
            """
        ),
        [],
        id="dockerfile-valid-with-heredoc",
    ),
    pytest.param(
        "dockerfile",
        "RUN echo hi\nFROM alpine\nRUNN echo typo\nCOPY\n",
        [
            (1, "a Dockerfile must start with FROM (or ARG), not RUN"),
            (3, "unknown Dockerfile instruction 'RUNN'"),
            (4, "COPY needs an argument"),
        ],
        id="dockerfile-invalid",
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_check_block(language, text, expected):
    problems = check_block(language, text, ValidationContext())
    assert [(p.line, p.message) for p in problems] == expected


WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"

CUSTOM_RESOURCE_CASES = [
    pytest.param(
        WIDGET + "spec:\n  size: 2\n  port: http\n  labels: {a: b}\n  extra: {any: [1, 2]}\n",
        [],
        id="valid",
    ),
    pytest.param(WIDGET + "spec:\n  size: 3\n  port: 8080\n", [], id="int-or-string-int"),
    pytest.param(
        WIDGET + "spec:\n  size: 0\n  port: [80]\n  colour: red\n  labels: {a: 1}\n",
        [
            (5, "Widget.spec.size: 0 is less than the minimum of 1"),
            (6, "Widget.spec.port: expected integer or string, got a list"),
            (7, 'Widget.spec: unknown field "colour"'),
            (8, "Widget.spec.labels.a: expected string, got integer 1"),
        ],
        id="violates-crd",
    ),
    pytest.param(
        WIDGET + "spec:\n  port: 80\n",
        [(4, 'Widget.spec: missing required field "size"')],
        id="missing-required",
    ),
    pytest.param(
        WIDGET + "spec:\n  size: 1\nstatus: {}\nextraTop: 1\n",
        [(7, 'Widget: unknown field "extraTop"'), (6, 'Widget: unknown field "status"')][::-1],
        id="unknown-top-level-field",
    ),
    pytest.param(
        WIDGET.replace("example.com/v1", "example.com/v2") + "spec: {size: 1}\n",
        [
            (
                2,
                'unknown kind "Widget" in apiVersion "example.com/v2": not a Kubernetes 1.37 kind '
                "and no CustomResourceDefinition for it earlier on this page",
            )
        ],
        id="unserved-version",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CUSTOM_RESOURCE_CASES)
def test_custom_resource_against_earlier_crd(text, expected):
    context = ValidationContext()
    assert check_block("yaml", CRD, context) == []
    problems = check_block("yaml", text, context)
    assert [(p.line, p.message) for p in problems] == expected


def test_crd_and_resource_in_one_block():
    problems = check_block(
        "yaml", CRD + "---\n" + WIDGET + "spec: {size: 1, colour: x}\n", ValidationContext()
    )
    assert problems == [Problem(34, 'Widget.spec: unknown field "colour"')]


def test_custom_resource_unknown_without_crd_on_the_page():
    context = ValidationContext()
    problems = check_block("yaml", WIDGET + "spec: {size: 1}\n", context)
    assert [p.line for p in problems] == [2]
    assert problems[0].message.startswith('unknown kind "Widget"')


def test_contexts_do_not_leak_between_pages():
    first = ValidationContext()
    check_block("yaml", CRD, first)
    assert check_block("yaml", WIDGET + "spec: {size: 1}\n", ValidationContext()) != []


def test_supported_languages():
    assert frozenset({"yaml", "bash", "sh", "console", "python", "go", "dockerfile"}) == SUPPORTED


def test_unsupported_language_is_an_error():
    with pytest.raises(ValueError, match="no validator for language 'toml'"):
        check_block("toml", "a = 1\n", ValidationContext())


def test_problem_lines_within_block():
    text = "\n".join(["x = 1"] * 5 + ["def broken(:"])
    (problem,) = check_block("python", text, ValidationContext())
    assert problem.line == 6


def test_missing_shellcheck_names_the_install_command(monkeypatch, tmp_path):
    from hooks.errors import ToolMissingError
    from hooks.validators import shell

    monkeypatch.setattr(shell, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(shell.shutil, "which", lambda name: None)
    with pytest.raises(ToolMissingError, match="apt-get install shellcheck"):
        check_block("bash", "echo hi\n", ValidationContext())


EDGE_CRD = block(
    """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: gadgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: gadgets, singular: gadget, kind: Gadget}
      versions:
      - name: v1alpha1
        served: false
        storage: false
        schema: {openAPIV3Schema: {type: object}}
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  replicas: {type: integer, minimum: 0, exclusiveMinimum: true}
                  ratio: {type: number, nullable: true}
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    properties:
                      spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
    """
)
GADGET = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GADGET + "spec:\n  replicas: 1\n  ratio: null\n  template:\n    apiVersion: v1\n"
            "    kind: Pod\n    metadata: {name: p}\n    spec: {anything: [1]}\n",
            [],
            id="nullable-and-embedded-resource",
        ),
        pytest.param(
            GADGET + "spec:\n  replicas: 0\n  template: {kind: Pod, extra: 1}\n",
            [
                (5, "Gadget.spec.replicas: 0 is less than or equal to the minimum of 0"),
                (6, 'Gadget.spec.template: unknown field "extra"'),
            ],
            id="exclusive-minimum-and-embedded-unknown-field",
        ),
        pytest.param(
            GADGET.replace("/v1", "/v1alpha1") + "spec: {}\n",
            [
                (
                    2,
                    'unknown kind "Gadget" in apiVersion "example.com/v1alpha1": not a Kubernetes '
                    "1.37 kind and no CustomResourceDefinition for it earlier on this page",
                )
            ],
            id="version-not-served",
        ),
    ],
)
def test_crd_schema_dialect(text, expected):
    context = ValidationContext()
    assert check_block("yaml", EDGE_CRD, context) == []
    problems = check_block("yaml", text, context)
    assert [(p.line, p.message) for p in problems] == expected


def test_mutated_manifests_give_problems_never_exceptions():
    """A fixed-seed fuzz: lines deleted, duplicated or spiked with YAML punctuation. Whatever
    an author types, the result is a list of problems on lines of the block, never a crash."""
    import random

    rng = random.Random(20261126)
    texts = [p.values[1] for p in CASES if p.values[0] == "yaml"] + [CRD, EDGE_CRD]
    spikes = [*" :-{}[]&*!|>'\"#%@`\t", "<<", "---", "...", "é", "\x00"]
    for _ in range(400):
        lines = rng.choice(texts).splitlines()
        for _ in range(rng.randint(1, 4)):
            if not lines:
                break
            i = rng.randrange(len(lines))
            roll = rng.random()
            if roll < 0.3:
                del lines[i]
            elif roll < 0.5:
                lines.insert(i, rng.choice(lines))
            else:
                k = rng.randint(0, len(lines[i]))
                lines[i] = lines[i][:k] + rng.choice(spikes) + lines[i][k:]
        text = "\n".join(lines) + "\n"
        context = ValidationContext()
        check_block("yaml", CRD, context)
        problems = check_block("yaml", text, context)
        last = max(1, len(text.splitlines()))
        assert all(1 <= p.line <= last for p in problems), (text, problems)


FUZZ_CRD = block(
    r"""
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: gizmos.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: gizmos, singular: gizmo, kind: Gizmo}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [name]
                properties:
                  name: {type: string, pattern: '^\p{L}[\p{L}\p{N} _-]*\z'}
                  code: {type: string, pattern: '^[A-Z]{2,3}$', maxLength: 3}
                  ports:
                    type: array
                    items:
                      type: object
                      properties:
                        port: {type: integer, minimum: 1, maximum: 65535}
                        protocol: {type: string, enum: [TCP, UDP]}
                  nested:
                    type: object
                    properties:
                      deeper:
                        type: object
                        additionalProperties:
                          type: array
                          items: {type: string, pattern: '\d+'}
                  choice:
                    anyOf:
                    - {type: integer}
                    - {type: string, pattern: '^[0-9]+%$'}
                    x-kubernetes-int-or-string: true
                  free: {type: object, x-kubernetes-preserve-unknown-fields: true}
    ---
    apiVersion: example.com/v1
    kind: Gizmo
    metadata: {name: g}
    spec:
      name: Ünïcode name
      code: AB
      ports: [{port: 80, protocol: TCP}]
      nested: {deeper: {a: ["1", "22"]}}
      choice: 50%
      free: {anything: [1, {x: y}]}
    """
)


def test_fuzz_crd_is_valid_to_start_with():
    assert check_block("yaml", FUZZ_CRD, ValidationContext()) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (r"'^\p{L}[\p{L}\p{N} _-]*\z'", "'[a-'"),
        (r"'^\p{L}[\p{L}\p{N} _-]*\z'", r"'(?<=x)\Z'"),
        (
            "items: {type: string, pattern: '\\d+'}",
            "items:\n                      - {type: string}",
        ),
        ("items:\n                  type: object", "items:\n                  - type: object"),
        ("free: {type: object,", "free: {type: [object, string],"),
        ("minimum: 1, maximum: 65535", "minimum: one, maximum: [1]"),
        ("required: [name]", "required: name"),
        ("anyOf:", "anyOf: 3\n                bogus:"),
    ],
)
def test_broken_crds_are_problems_never_exceptions(old, new):
    assert old in FUZZ_CRD
    text = FUZZ_CRD.replace(old, new)
    problems = check_block("yaml", text, ValidationContext())
    last = len(text.splitlines())
    assert all(1 <= p.line <= last for p in problems)


def test_an_internal_error_is_a_problem_on_the_documents_first_line(monkeypatch):
    from hooks.validators import semantics

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(semantics, "check", broken)
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n" + DEPLOYMENT
    problems = check_block("yaml", text, ValidationContext())
    assert [p.line for p in problems] == [1, 5]
    assert all(
        p.message.startswith("internal error in the validator (a bug in hooks/validators, not in")
        and "KeyError: 'boom'" in p.message
        for p in problems
    )


def test_mutated_crds_and_custom_resources_give_problems_never_exceptions():
    """The fixed-seed fuzz, on a CRD with Go-only patterns, arrays of objects, nested maps,
    int-or-string and preserved fields, and a custom resource of it: lines deleted,
    duplicated, spiked with YAML or regex punctuation, list items turned into lists."""
    import random

    rng = random.Random(20261201)
    spikes = [*" :-{}[]&*!|>'\"#%@`\t", "<<", "---", "\\p{", "\\z", "[a-", "(?=", "- ", "é"]
    for _ in range(300):
        lines = FUZZ_CRD.splitlines()
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(lines))
            roll = rng.random()
            if roll < 0.2:
                del lines[i]
            elif roll < 0.35:
                lines.insert(i, rng.choice(lines))
            elif roll < 0.5:
                stripped = lines[i].lstrip()
                indent = len(lines[i]) - len(stripped)
                lines[i] = " " * indent + "- " + stripped  # a mapping entry becomes a list
            else:
                k = rng.randint(0, len(lines[i]))
                lines[i] = lines[i][:k] + rng.choice(spikes) + lines[i][k:]
            if not lines:
                break
        text = "\n".join(lines) + "\n"
        problems = check_block("yaml", text, ValidationContext())
        last = max(1, len(text.splitlines()))
        assert all(1 <= p.line <= last for p in problems), (text, problems)
        assert not any(p.message.startswith("internal error") for p in problems), (text, problems)
