/**
 * kubernetes_sd at scale: 20k pods through the pod role (three ports each, the usual annotation-driven relabeling
 * keeping one), from the API server's first list to every collector's HTTP_SD, then single pod updates.
 * The API server runs in a child process; the allocator runs in this one, as in production.
 */
import { fork } from "node:child_process"
import { once } from "node:events"
import { performance } from "node:perf_hooks"
import { request } from "undici"
import { startServer } from "../test/support/server.ts"
import type { FromApiServer, ToApiServer } from "./apiServerProcess.ts"
import type { ClusterShape } from "./cluster.ts"
import { type BenchResult, percentile } from "./measure.ts"

const shape: ClusterShape = { pods: 20_000, namespaces: 40, nodes: 200 }
const collectors = Array.from({ length: 10 }, (_, i) => `collector-${i}`)
const updates = 200

const config = (kubeconfig: string) => `
static_collectors: [${collectors.join(", ")}]
kube_config_file_path: ${kubeconfig}
config:
  scrape_configs:
    - job_name: kubernetes-pods
      kubernetes_sd_configs: [{role: pod}]
      relabel_configs:
        - {source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], regex: "true", action: keep}
        - {source_labels: [__meta_kubernetes_pod_container_port_name], regex: metrics, action: keep}
        - {regex: __meta_kubernetes_pod_label_(.+), action: labelmap}
        - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
        - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
`

const download = async (url: string): Promise<Buffer> => Buffer.from(await (await request(url)).body.arrayBuffer())

/** One group per target: counting groups is check enough, and keeps the measuring cheap next to what is measured. */
const groupsIn = (body: Buffer): number => {
  let n = 0
  for (let at = body.indexOf(`{"targets":[`); at >= 0; at = body.indexOf(`{"targets":[`, at + 1)) n++
  return n
}

export const kubernetesSd = async (): Promise<ReadonlyArray<BenchResult>> => {
  const child = fork(new URL("./apiServerProcess.ts", import.meta.url), [JSON.stringify(shape)], { stdio: ["ignore", "ignore", "inherit", "ipc"] })
  const next = async <T extends FromApiServer>(): Promise<T> => (await once(child, "message"))[0] as T
  const send = (m: ToApiServer) => child.send(m)
  const { kubeconfigPath } = await next<{ url: string; kubeconfigPath: string }>()

  const job = "kubernetes-pods"
  /** One allocator from start to every collector's HTTP_SD: wall time, CPU time. */
  const initialSync = async () => {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const server = await startServer(config(kubeconfigPath), { discoveryCoalesce: 0 })
    await server.until((s) => s.jobs.get(job)?.targets === shape.pods)
    let served = 0
    for (const c of collectors) served += groupsIn(await download(`${server.url}/jobs/${job}/targets?collector_id=${c}`))
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    if (served !== shape.pods) throw new Error(`served ${served} targets, expected ${shape.pods}`)
    return { server, ms, cpuMs: (cpu.user + cpu.system) / 1000 }
  }

  // The machine's speed varies from run to run: the sync is measured three times (a fresh allocator each time).
  const syncs: Array<{ ms: number; cpuMs: number }> = []
  for (let r = 0; r < 2; r++) {
    const { server, ms, cpuMs } = await initialSync()
    syncs.push({ ms, cpuMs })
    await server.close()
  }
  const { server, ms, cpuMs } = await initialSync()
  syncs.push({ ms, cpuMs })
  try {
    globalThis.gc?.()
    const rss = process.memoryUsage().rss

    const latencies: Array<number> = []
    const cpu1 = process.cpuUsage()
    for (let k = 0; k < updates; k++) {
      const before = await server.until(() => true)
      const start = performance.now()
      send({ update: k * 97 % shape.pods, generation: 1 })
      await server.until((s) => s !== before)
      latencies.push(performance.now() - start)
    }
    const updateCpu = process.cpuUsage(cpu1)
    return [
      { name: `kubernetes_sd pod role, ${shape.pods} pods (${shape.pods * 3} discovered targets): first list to served HTTP_SD, median of 3`, value: percentile(syncs.map((x) => x.ms), 0.5), unit: "ms", target: "< 5000 ms" },
      { name: "  the first of the 3 (cold: nothing compiled yet)", value: syncs[0]!.ms, unit: "ms" },
      { name: "  CPU during the initial sync (user + system), median", value: percentile(syncs.map((x) => x.cpuMs), 0.5), unit: "ms" },
      { name: "  resident memory after the initial sync", value: rss / 2 ** 20, unit: "MiB" },
      { name: `one pod update: CPU per update (mean of ${updates})`, value: (updateCpu.user + updateCpu.system) / 1000 / updates, unit: "ms", target: "< 5 ms" },
      { name: "  one pod update: watch event to published snapshot, p50", value: percentile(latencies, 0.5), unit: "ms" },
      { name: "  one pod update: watch event to published snapshot, p99", value: percentile(latencies, 0.99), unit: "ms" }
    ]
  } finally {
    await server.close()
    send({ close: true })
    await once(child, "exit")
  }
}
