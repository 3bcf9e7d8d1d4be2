/**
 * HTTP_SD served from cache: 1000 collectors, each with 200 targets of one job (200k targets from a file_sd file),
 * polled from another process over loopback by a minimal keep-alive client (httpLoad.ts), and by autocannon for
 * comparison. Measured: requests per second and latency.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { startServer } from "../test/support/server.ts"
import type { BenchResult } from "./measure.ts"

const collectors = 1000
const perCollector = 200

export const httpSd = async (): Promise<ReadonlyArray<BenchResult>> => {
  const dir = mkdtempSync(join(tmpdir(), "bench-httpsd-"))
  const targets = collectors * perCollector
  // Pod-like groups of 10 targets with 10 labels each.
  const groups = Array.from({ length: targets / 10 }, (_, g) => ({
    targets: Array.from({ length: 10 }, (_, t) => `10.${g >> 16}.${(g >> 8) & 255}.${g & 255}:${9000 + t}`),
    labels: {
      __meta_kubernetes_namespace: `ns-${g % 40}`,
      __meta_kubernetes_pod_name: `app-${g % 300}-${g}`,
      __meta_kubernetes_pod_node_name: `node-${g % 500}`,
      __meta_kubernetes_pod_label_app: `app-${g % 300}`,
      __meta_kubernetes_pod_ready: "true"
    }
  }))
  writeFileSync(join(dir, "targets.json"), JSON.stringify(groups))
  const server = await startServer(`
static_collectors: [${Array.from({ length: collectors }, (_, i) => `collector-${i}`).join(", ")}]
config:
  scrape_configs:
    - job_name: pods
      file_sd_configs: [{files: ["${join(dir, "targets.json")}"]}]
`, { discoveryCoalesce: 0 })
  try {
    await server.until((s) => s.jobs.get("pods")?.targets === targets)
    type Load = { requestsPerSecond: number; p50: number; p99: number; errors: number; bytesPerSecond: number }
    const run = async (generator: "httpLoad.ts" | "load.ts", connections: number, seconds: number) => {
      const { stdout } = await promisify(execFile)(process.execPath, [
        new URL(`./${generator}`, import.meta.url).pathname, server.url, "pods", String(collectors), String(connections), String(seconds)
      ], { maxBuffer: 1 << 20 })
      const load = JSON.parse(stdout) as Load
      if (load.errors > 0) throw new Error(`${load.errors} requests failed`)
      return load
    }
    await run("httpLoad.ts", 10, 3) // warm-up: every document rendered once, the code compiled
    const cpu0 = process.cpuUsage()
    const load = await run("httpLoad.ts", 25, 10)
    const cpu = process.cpuUsage(cpu0)
    const cpuPerRequestMs = (cpu.user + cpu.system) / 1000 / (load.requestsPerSecond * 10)
    const busier = await run("httpLoad.ts", 50, 10)
    const autocannon = await run("load.ts", 50, 10)
    return [
      { name: `HTTP_SD, ${collectors} collectors × ${perCollector} targets, 25 connections: requests per second`, value: load.requestsPerSecond, unit: "req/s", target: ">= 10000 req/s" },
      { name: "  latency p50", value: load.p50, unit: "ms" },
      { name: "  latency p99", value: load.p99, unit: "ms", target: "< 5 ms" },
      { name: "  throughput (gzip, as the collector asks)", value: load.bytesPerSecond / 2 ** 20, unit: "MiB/s" },
      { name: "  allocator CPU per request", value: cpuPerRequestMs, unit: "ms" },
      { name: "50 connections: requests per second", value: busier.requestsPerSecond, unit: "req/s" },
      { name: "  latency p99", value: busier.p99, unit: "ms" },
      { name: "the same load from autocannon (50 connections; its own ceiling, see below): requests per second", value: autocannon.requestsPerSecond, unit: "req/s" }
    ]
  } finally {
    await server.close()
  }
}
