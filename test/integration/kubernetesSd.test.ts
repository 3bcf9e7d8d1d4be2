/**
 * kubernetes_sd end to end: the allocator's program, its discovery through the real `@kubernetes/client-node`
 * against the fake API server, and the HTTP_SD a collector reads, following the cluster as it changes.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Duration, Effect } from "effect"
import { initialSync } from "../../layers/discovery/initialSync.ts"
import { providersLive } from "../../layers/discovery/live.ts"
import { prometheusJobs } from "../support/config.ts"
import { startFakeApiServer, type FakeApiServer } from "../support/fakeApiServer.ts"
import { get, startServer, type RunningServer } from "../support/server.ts"

const ready = [{ type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }]

const collector = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "otel", labels: { app: "collector" } },
  spec: { nodeName: "node-1", containers: [{ name: "otelcol" }] },
  status: { phase: "Running", podIP: "10.1.0.1", conditions: ready }
})

const webPod = (name: string, ip: string, app = "web") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "apps", labels: { app } },
  spec: { nodeName: "node-1", containers: [{ name: "web", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] }] },
  status: { phase: "Running", podIP: ip, conditions: ready }
})

const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "apps", labels: { app: "web" } },
  spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] }
}

const endpoints = (pods: ReadonlyArray<readonly [name: string, ip: string]>) => ({
  apiVersion: "v1",
  kind: "Endpoints",
  metadata: { name: "web", namespace: "apps" },
  subsets: [{
    addresses: pods.map(([name, ip]) => ({ ip, nodeName: "node-1", targetRef: { kind: "Pod", namespace: "apps", name } })),
    ports: [{ name: "http", port: 8080, protocol: "TCP" }]
  }]
})

const config = (kubeconfig: string) => `
collector_namespace: otel
collector_selector: {matchLabels: {app: collector}}
kube_config_file_path: ${kubeconfig}
config:
  scrape_configs:
    - job_name: pods
      kubernetes_sd_configs: [{role: pod, namespaces: {names: [apps]}}]
      relabel_configs:
        - {source_labels: [__meta_kubernetes_pod_label_app], regex: web, action: keep}
        - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
    - job_name: endpoints
      kubernetes_sd_configs: [{role: endpoints, namespaces: {names: [apps]}}]
      relabel_configs:
        - {source_labels: [__meta_kubernetes_service_name], regex: web, action: keep}
`

/** A job with one kubernetes_sd_config, as the config file gives it. */
const jobWith = (sd: string) => prometheusJobs(`scrape_configs: [{job_name: j, kubernetes_sd_configs: [${sd}]}]`)[0]!

interface SdItem {
  readonly targets: ReadonlyArray<string>
  readonly labels: Readonly<Record<string, string>>
}

/** Every target of a job across the collectors, as the collectors read them: address → labels. */
const served = async (server: RunningServer, job: string, collectors: ReadonlyArray<string>) => {
  const out = new Map<string, Readonly<Record<string, string>>>()
  for (const c of collectors) {
    const res = await get(`${server.url}/jobs/${job}/targets?collector_id=${c}`)
    expect(res.status).toBe(200)
    for (const item of JSON.parse(res.body) as ReadonlyArray<SdItem>) for (const t of item.targets) out.set(t, item.labels)
  }
  return out
}

describe("kubernetes_sd_configs against an API server", () => {
  let api: FakeApiServer
  let server: RunningServer | undefined
  beforeEach(async () => {
    api = await startFakeApiServer()
  })
  afterEach(async () => {
    await server?.close()
    server = undefined
    await api.close()
  })

  it("serves the relabeled pod and endpoints targets, and follows pods and endpoints as they change", async () => {
    api.load([
      collector("c-0"),
      collector("c-1"),
      webPod("web-0", "10.0.0.10"),
      webPod("web-1", "10.0.0.11"),
      webPod("db-0", "10.0.0.20", "db"),
      service,
      endpoints([["web-0", "10.0.0.10"], ["web-1", "10.0.0.11"]])
    ])
    server = await startServer(config(api.kubeconfigPath), { membershipCoalesceMs: 50, discoveryCoalesce: "50 millis" })
    const s = server
    const count = (job: string, n: number) => s.until((snap) => snap.collectors.length === 2 && snap.jobs.get(job)?.targets === n)
    const collectors = ["c-0", "c-1"]

    await count("pods", 2)
    await count("endpoints", 2)
    const pods = await served(s, "pods", collectors)
    expect([...pods.keys()].sort()).toEqual(["10.0.0.10:8080", "10.0.0.11:8080"])
    // The discovered labels, not the relabeled ones: the collector's Prometheus applies relabel_configs itself.
    expect(pods.get("10.0.0.10:8080")).toMatchObject({ __meta_kubernetes_pod_name: "web-0", __meta_kubernetes_pod_ip: "10.0.0.10", __meta_kubernetes_namespace: "apps" })
    expect(pods.get("10.0.0.10:8080")?.["pod"]).toBeUndefined()
    const eps = await served(s, "endpoints", collectors)
    expect(eps.get("10.0.0.11:8080")).toMatchObject({
      __meta_kubernetes_service_name: "web",
      __meta_kubernetes_pod_name: "web-1",
      __meta_kubernetes_endpoint_port_name: "http",
      __meta_kubernetes_endpoint_ready: "true"
    })

    // Both jobs need the pods of "apps": one watch serves them.
    expect(api.requests.filter((r) => r.verb === "watch" && r.resource === "pods" && r.namespace === "apps").length).toBe(1)

    api.create(webPod("web-2", "10.0.0.12"))
    await count("pods", 3)
    api.update(webPod("web-0", "10.0.0.10", "retired"))
    await count("pods", 2)
    api.delete("v1", "Pod", "apps", "web-1")
    await count("pods", 1)
    expect([...(await served(s, "pods", collectors)).keys()]).toEqual(["10.0.0.12:8080"])

    api.update(endpoints([["web-0", "10.0.0.10"], ["web-2", "10.0.0.12"], ["web-3", "10.0.0.13"]]))
    await count("endpoints", 3)
    const scaled = await served(s, "endpoints", collectors)
    expect([...scaled.keys()].sort()).toEqual(["10.0.0.10:8080", "10.0.0.12:8080", "10.0.0.13:8080"])
    // web-2 exists and joins its pod's labels; web-3 is unknown to the pod watch, so it has none.
    expect(scaled.get("10.0.0.12:8080")?.["__meta_kubernetes_pod_name"]).toBe("web-2")
    expect(scaled.get("10.0.0.13:8080")?.["__meta_kubernetes_pod_name"]).toBeUndefined()
  })

  it("keeps serving the last good targets while the API server is unreachable, and catches up when it returns", async () => {
    api.load([collector("c-0"), webPod("web-0", "10.0.0.10"), service, endpoints([["web-0", "10.0.0.10"]])])
    server = await startServer(config(api.kubeconfigPath), { membershipCoalesceMs: 50, discoveryCoalesce: "50 millis" })
    const s = server
    await s.until((snap) => snap.collectors.length === 1 && snap.jobs.get("pods")?.targets === 1)
    await api.stop()
    api.create(webPod("web-1", "10.0.0.11"))
    expect([...(await served(s, "pods", ["c-0"])).keys()]).toEqual(["10.0.0.10:8080"])
    await api.start()
    await s.until((snap) => snap.jobs.get("pods")?.targets === 2)
    expect([...(await served(s, "pods", ["c-0"])).keys()].sort()).toEqual(["10.0.0.10:8080", "10.0.0.11:8080"])
  })

  it("connects to an api_server of its own with a bearer token read from credentials_file", async () => {
    api.load([webPod("web-0", "10.0.0.10")])
    api.requireToken()
    const dir = mkdtempSync(join(tmpdir(), "ta-kube-token-"))
    const tokenFile = join(dir, "token")
    writeFileSync(tokenFile, `${api.token}\n`)
    server = await startServer(`
static_collectors: [c-0]
config:
  scrape_configs:
    - job_name: pods
      kubernetes_sd_configs:
        - {role: pod, api_server: "${api.url}", authorization: {credentials_file: ${tokenFile}}, namespaces: {names: [apps]}}
`, { discoveryCoalesce: "50 millis" })
    await server.until((snap) => snap.jobs.get("pods")?.targets === 1)
    expect([...(await served(server, "pods", ["c-0"])).keys()]).toEqual(["10.0.0.10:8080"])
    expect(api.requests.filter((r) => r.verb === "list").every((r) => r.status === 200)).toBe(true)
  })

  it("has its initial sync when the lists are complete, also when they are empty", async () => {
    api.load([webPod("web-0", "10.0.0.10")])
    const sync = (namespace: string) =>
      Effect.runPromise(initialSync(jobWith(`{role: pod, namespaces: {names: [${namespace}]}}`), Duration.seconds(5)).pipe(
        Effect.provide(providersLive(api.kubeconfigPath, undefined))
      ))
    const empty = await sync("nothing-here")
    expect([empty.groups, empty.problems]).toEqual([[], []])
    const one = await sync("apps")
    expect(one.groups.map((g) => g.source)).toEqual(["pod/apps/web-0"])
  })
})
