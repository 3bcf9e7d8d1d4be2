/**
 * The allocation pipeline at scale: targets of 20 labels each, in 10 jobs, over 500 collectors, with consistent
 * hashing; 100k targets (`allocation`) and the million (`allocationMillion`, minutes to run). Measured: the first full pass (target sets, allocation, every collector's
 * HTTP_SD document published), the join of every document (what each collector's first poll costs), the resident
 * memory of the process holding and serving it, and a discovery update that replaces 1% of the targets. Runs the pipeline in this process, without HTTP, so the figures are the pipeline's own.
 */
import { constants, performance, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks"
import { consistentHashing } from "../src/allocation/consistentHashing.ts"
import { leastWeighted } from "../src/allocation/leastWeighted.ts"
import type { Strategy } from "../src/allocation/strategy.ts"
import { joinHostPort } from "../src/discovery/kubernetes/address.ts"
import * as L from "../src/labels/labels.ts"
import * as Pipeline from "../src/pipeline/pipeline.ts"
import type { TargetGroup } from "../src/discovery/targetGroup.ts"
import { httpSdGzipOf, type Snapshot } from "../src/serving/snapshot.ts"
import { loadConfig } from "../test/support/config.ts"
import type { BenchResult } from "./measure.ts"

const jobs = 10
const targetsPerGroup = 20
const collectorCount = 500

const config = loadConfig(`
static_collectors: [c0]
config:
  scrape_configs:
${Array.from({ length: jobs }, (_, j) => `    - {job_name: job-${j}, static_configs: [{targets: ["x:1"]}]}`).join("\n")}
`).config.scrape_configs

/**
 * A pod-like group: 16 labels shared by its targets, 4 of each target's own (20 in all with __address__), the address
 * made as discovery makes it.
 */
const group = (job: number, g: number, generation: number): TargetGroup => {
  const pod = `app-${g % 300}-${(g * 2654435761 >>> 0).toString(36)}`
  return {
    source: `pod/ns-${g % 40}/${pod}`,
    labels: L.fromRecord({
      __meta_kubernetes_namespace: `ns-${g % 40}`,
      __meta_kubernetes_pod_name: pod,
      __meta_kubernetes_pod_ip: `10.${job}.${g >> 8}.${g & 255}`,
      __meta_kubernetes_pod_node_name: `node-${g % 500}`,
      __meta_kubernetes_pod_host_ip: `192.168.${(g % 500) >> 8}.${g % 500 & 255}`,
      __meta_kubernetes_pod_ready: "true",
      __meta_kubernetes_pod_phase: "Running",
      __meta_kubernetes_pod_uid: `uid-${job}-${g}-${generation}`,
      __meta_kubernetes_pod_label_app: `app-${g % 300}`,
      __meta_kubernetes_pod_labelpresent_app: "true",
      __meta_kubernetes_pod_label_team: `team-${g % 17}`,
      __meta_kubernetes_pod_labelpresent_team: "true",
      __meta_kubernetes_pod_controller_kind: "ReplicaSet",
      __meta_kubernetes_pod_controller_name: `app-${g % 300}-rs`,
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: "true",
      __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: "true"
    }),
    targets: Array.from({ length: targetsPerGroup }, (_, t) =>
      L.fromRecord({
        __address__: joinHostPort(`10.${job}.${g >> 8}.${g & 255}`, String(9000 + t)),
        __meta_kubernetes_pod_container_name: `c-${t % 3}`,
        __meta_kubernetes_pod_container_port_name: `port-${t}`,
        __meta_kubernetes_pod_container_port_number: String(9000 + t),
        __meta_kubernetes_pod_container_port_protocol: "TCP"
      }))
  }
}

const collectors = Array.from({ length: collectorCount }, (_, i) => ({ name: `collector-${i}`, node: "" }))

/** Every collector's document of every job, as polled with gzip; the bytes served. */
const pollAll = (snapshot: Snapshot): number => {
  let bytes = 0
  for (let j = 0; j < jobs; j++) for (const c of collectors) bytes += httpSdGzipOf(snapshot, `job-${j}`, c.name).length
  return bytes
}

const run = async (groupsPerJob: number, strategy: Strategy = consistentHashing): Promise<ReadonlyArray<BenchResult>> => {
  const state = Pipeline.make(strategy, "relabel-config")
  Pipeline.apply(state, { _tag: "ConfigApplied", scrapeConfigs: config })
  Pipeline.apply(state, { _tag: "CollectorsChanged", collectors })
  Pipeline.publish(state)
  const batches = Array.from({ length: jobs }, (_, j) => Array.from({ length: groupsPerJob }, (_, g) => group(j, g, 0)))

  // The collections during the first allocation, to tell them apart: a full one there is mostly of the heap the
  // groups fill (270 MB at a million targets), begun while they were made.
  const collections: Array<PerformanceEntry> = []
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()))
  observer.observe({ entryTypes: ["gc"] })
  const t0 = performance.now()
  for (const [j, groups] of batches.entries()) Pipeline.apply(state, { _tag: "TargetGroups", job: `job-${j}`, provider: "sd", groups })
  const { snapshot } = Pipeline.publish(state)
  const firstMs = performance.now() - t0
  // Entries arrive after the synchronous pass, on a timer.
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  const during = collections.filter((e) => e.startTime >= t0 && e.startTime < t0 + firstMs)
  const gcMs = (major: boolean) =>
    during.filter((e) => ((e as PerformanceEntry & { readonly detail: { readonly kind: number } }).detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) === major).reduce((ms, e) => ms + e.duration, 0)
  // Every collector polls each job once, with gzip as the collector's Go client: each document is rendered then.
  const s0 = performance.now()
  const gzipBytes = pollAll(snapshot)
  const serveAllMs = performance.now() - s0
  const served = [...snapshot.jobs.values()].reduce((n, v) => n + v.targets, 0)
  if (served !== jobs * groupsPerJob * targetsPerGroup) throw new Error(`served ${served} targets`)
  globalThis.gc?.()
  const rss = process.memoryUsage().rss
  batches.length = 0

  // 1%: 500 pods (10k targets) replaced by pods of new addresses, spread over the jobs, each update followed by
  // every collector polling every job. The goal is for the steady state: the first updates after the first
  // allocation run code that V8 is still compiling and re-optimizing (the update's paths are not the first
  // allocation's), so they are reported apart, and the steady state is the median of the updates after them.
  const warmUp = 3
  const updates: Array<number> = []
  const repolls: Array<number> = []
  for (let round = 1; round <= warmUp + 7; round++) {
    const events = Array.from({ length: jobs }, (_, j) => ({
      _tag: "TargetGroups" as const,
      job: `job-${j}`,
      provider: "sd",
      groups: Array.from({ length: groupsPerJob / 100 }, (_, k) => {
        const g = (k * 100 + round * 7) % groupsPerJob
        const moved = group(j, g + groupsPerJob * round, round)
        return { ...moved, source: group(j, g, 0).source }
      })
    }))
    const t = performance.now()
    for (const e of events) Pipeline.apply(state, e)
    const { snapshot } = Pipeline.publish(state)
    updates.push(performance.now() - t)
    const r = performance.now()
    pollAll(snapshot)
    repolls.push(performance.now() - r)
  }
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  // The goals are for consistent hashing.
  const goal = (text: string) => (strategy === consistentHashing ? text : "")
  return [
    { name: `${served} targets of 20 labels, ${jobs} jobs, ${collectorCount} collectors, ${strategy.name}: first allocation, every document published`, value: firstMs, unit: "ms", target: goal("<= 3000 ms") },
    { name: "  of which full garbage collections (pauses)", value: gcMs(true), unit: "ms" },
    { name: "  of which young-generation collections (pauses)", value: gcMs(false), unit: "ms" },
    { name: "  then every collector polling every job once (each document rendered and gzipped)", value: serveAllMs, unit: "ms" },
    { name: "  HTTP_SD bytes served, gzipped", value: gzipBytes / 2 ** 20, unit: "MiB" },
    { name: "  resident memory of the process after it", value: rss / 2 ** 20, unit: "MiB", target: goal("<= 1536 MiB") },
    { name: `a discovery update replacing 1% of the targets, to the new snapshot published: the first ${warmUp}, median`, value: median(updates.slice(0, warmUp)), unit: "ms" },
    { name: `  in the steady state: the ${updates.length - warmUp} after them, median`, value: median(updates.slice(warmUp)), unit: "ms", target: goal("<= 100 ms") },
    { name: `  in the steady state: the slowest of the ${updates.length - warmUp}`, value: Math.max(...updates.slice(warmUp)), unit: "ms" },
    { name: "  then every collector polling every job again (every document changed: rendered and gzipped again), median", value: median(repolls), unit: "ms" }
  ]
}

export const allocation = () => run(500)
export const allocationMillion = () => run(5_000)
/** No goal: least-weighted reads every collector's load for every target it places. */
export const allocationLeastWeighted = () => run(500, leastWeighted)
