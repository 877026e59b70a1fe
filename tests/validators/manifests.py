"""Valid manifests written for these tests (never copied from upstream), one per common kind.

The rule tests and the mutation test start from these: each must pass as it is, so a rule that
refuses a valid manifest fails the suite before any mutation is counted.
"""

from __future__ import annotations

import textwrap


def block(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


POD = block(
    """
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
      labels: {app: web}
      annotations: {example.com/owner: team-a}
    spec:
      restartPolicy: Always
      dnsPolicy: ClusterFirst
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        ports:
        - {name: http, containerPort: 80, protocol: TCP}
        env:
        - {name: MODE, value: production}
        resources:
          requests: {cpu: 250m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
        volumeMounts:
        - {name: data, mountPath: /data}
        livenessProbe:
          httpGet: {path: /, port: http}
      tolerations:
      - {key: example.com/dedicated, operator: Equal, value: web, effect: NoSchedule}
      volumes:
      - name: data
        emptyDir: {}
    """
)
SERVICE = block(
    """
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      type: NodePort
      selector: {app: web}
      sessionAffinity: None
      ports:
      - {name: http, port: 80, targetPort: http, protocol: TCP}
      - {name: metrics, port: 9090, targetPort: 9090, protocol: TCP}
    """
)
DEPLOYMENT = block(
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, labels: {app: web}}
    spec:
      replicas: 2
      strategy:
        type: RollingUpdate
        rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            ports:
            - containerPort: 8080
            resources:
              limits: {memory: 256Mi}
    """
)
STATEFULSET = block(
    """
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      serviceName: db
      replicas: 3
      podManagementPolicy: Parallel
      selector:
        matchLabels: {app: db}
      template:
        metadata:
          labels: {app: db}
        spec:
          containers:
          - name: db
            image: postgres:17
            volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
      volumeClaimTemplates:
      - metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests: {storage: 1Gi}
    """
)
JOB = block(
    """
    apiVersion: batch/v1
    kind: Job
    metadata: {name: pi}
    spec:
      backoffLimit: 4
      completions: 1
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: pi
            image: perl:5.34
            command: [perl, -Mbignum=bpi, -wle, print bpi(200)]
    """
)
CRONJOB = block(
    """
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: hello}
    spec:
      schedule: "*/5 * * * *"
      concurrencyPolicy: Forbid
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
              - {name: hello, image: busybox:1.36, command: [date]}
    """
)
INGRESS = block(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web}
    spec:
      ingressClassName: nginx
      rules:
      - host: www.example.com
        http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {number: 80}
    """
)
CONFIGMAP = block(
    """
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
    data:
      app.properties: "mode=production"
      LOG_LEVEL: info
    """
)
SECRET = block(
    """
    apiVersion: v1
    kind: Secret
    metadata: {name: creds}
    type: Opaque
    data:
      password: cGFzc3dvcmQ=
    stringData:
      username: admin
    """
)
PVC = block(
    """
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      volumeMode: Filesystem
      resources:
        requests: {storage: 10Gi}
    """
)
HPA = block(
    """
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      minReplicas: 2
      maxReplicas: 10
      metrics:
      - type: Resource
        resource:
          name: cpu
          target: {type: Utilization, averageUtilization: 60}
    """
)
PDB = block(
    """
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: web}
    spec:
      minAvailable: 50%
      selector:
        matchLabels: {app: web}
    """
)
ROLEBINDING = block(
    """
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: "system:read-pods", namespace: default}
    subjects:
    - {kind: ServiceAccount, name: reader, namespace: default}
    - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
    roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
    """
)
ROLE = block(
    """
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: pod-reader, namespace: default}
    rules:
    - apiGroups: [""]
      resources: [pods]
      verbs: [get, list, watch]
    """
)
NETWORKPOLICY = block(
    """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: allow-web}
    spec:
      podSelector:
        matchLabels: {app: web}
      policyTypes: [Ingress]
      ingress:
      - from:
        - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
        ports:
        - {protocol: TCP, port: 80}
    """
)
STORAGECLASS = block(
    """
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: fast}
    provisioner: ebs.csi.aws.com
    reclaimPolicy: Delete
    volumeBindingMode: WaitForFirstConsumer
    """
)
WEBHOOK = block(
    """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata: {name: policy.example.com}
    webhooks:
    - name: pods.policy.example.com
      admissionReviewVersions: [v1]
      sideEffects: None
      failurePolicy: Fail
      timeoutSeconds: 5
      clientConfig:
        service: {namespace: policy, name: webhook, path: /validate}
      rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
    """
)
KIND_CLUSTER = block(
    """
    kind: Cluster
    apiVersion: kind.x-k8s.io/v1alpha4
    nodes:
    - role: control-plane
      extraPortMappings:
      - {containerPort: 80, hostPort: 8080, protocol: TCP}
    - role: worker
    networking:
      podSubnet: 10.244.0.0/16
    """
)
CRD = block(
    r"""
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
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
                properties:
                  title: {type: string, pattern: '^\p{L}[\p{L} ]*\z'}
                  size: {type: integer, minimum: 1}
                  tags:
                    type: array
                    items: {type: string}
    """
)
WIDGET = block(
    """
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: my-widget}
    spec:
      title: Élan vital
      size: 3
      tags: [blue]
    """
)

#: name -> manifest; every one of them is valid for Kubernetes 1.37 (a test says so).
VALID = {
    name.lower(): text
    for name, text in dict(globals()).items()
    if name.isupper() and isinstance(text, str) and name != "CRD" and "apiVersion" in text
}
