/**
 * A synthetic cluster for benchmarks: Deployment-owned pods spread over namespaces and nodes, shaped like real
 * workloads (recommended labels, scrape annotations, an app container with two ports and a sidecar with one).
 */

export interface ClusterShape {
  readonly pods: number
  readonly namespaces: number
  readonly nodes: number
}

const ready = [
  { type: "Initialized", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" },
  { type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:05Z" },
  { type: "ContainersReady", status: "True", lastTransitionTime: "2026-01-01T00:00:05Z" },
  { type: "PodScheduled", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }
]

/** Pod `i`, with `generation` in a label so an update can change what discovery sees. */
export const pod = (i: number, shape: ClusterShape, generation = 0) => {
  const app = `app-${i % 500}`
  const namespace = `team-${i % shape.namespaces}`
  const hash = (i * 2654435761 >>> 0).toString(16).slice(0, 8)
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${app}-${hash}-${i}`,
      namespace,
      labels: {
        app,
        "app.kubernetes.io/name": app,
        "app.kubernetes.io/part-of": `system-${i % 37}`,
        "app.kubernetes.io/version": `1.${i % 20}.0`,
        "pod-template-hash": hash,
        generation: String(generation)
      },
      annotations: {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
        "kubectl.kubernetes.io/default-container": "app"
      },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${app}-${hash}`, uid: `rs-${i}`, controller: true }]
    },
    spec: {
      nodeName: `node-${i % shape.nodes}`,
      containers: [
        {
          name: "app",
          image: `registry.example/${app}:1.${i % 20}.0`,
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "metrics", containerPort: 9090, protocol: "TCP" }]
        },
        { name: "proxy", image: "registry.example/proxy:2.1", ports: [{ name: "proxy-admin", containerPort: 15000, protocol: "TCP" }] }
      ]
    },
    status: {
      phase: "Running",
      hostIP: `10.0.${(i % shape.nodes) >> 8}.${(i % shape.nodes) & 255}`,
      podIP: `10.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      podIPs: [{ ip: `10.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` }],
      startTime: "2026-01-01T00:00:00Z",
      conditions: ready,
      containerStatuses: [
        { name: "app", ready: true, restartCount: 0, image: `registry.example/${app}:1.${i % 20}.0`, containerID: `containerd://${hash}a` },
        { name: "proxy", ready: true, restartCount: 0, image: "registry.example/proxy:2.1", containerID: `containerd://${hash}b` }
      ]
    }
  }
}
