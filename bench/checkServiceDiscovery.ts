/**
 * `target-allocator check service-discovery` against `promtool check service-discovery` on the same input: 100k
 * file_sd targets, a job with a drop, a replace and a labelmap rule. Both run as commands under GNU time, which
 * gives each one's CPU seconds and peak memory (promtool waits out its --timeout; its CPU is what is compared), three
 * times in turn, and the medians are reported: on a shared machine one run of either can be off by a third. Ours
 * is the bundle, as the container and `npm start` run it, built afresh first so that it is the sources' current state.
 */
import { execFile, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { percentile, type BenchResult } from "./measure.ts"

const targets = 100_000
const runs = 3

interface Usage {
  readonly cpuSeconds: number
  readonly maxRssMiB: number
}

/**
 * CPU and peak RSS of a command, from GNU time's `-f "%U %S %M"`. Its output goes through a pipe, as into `jq`,
 * and is counted, not kept: holding a hundred megabytes would cost this process CPU the command competes with.
 */
const measure = (command: ReadonlyArray<string>, timeFile: string): Promise<Usage> =>
  new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, ...command], { stdio: ["ignore", "pipe", "ignore"] })
    child.stdout.resume()
    child.on("error", reject)
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${command.join(" ")} exited with ${code}`))
      const [user, system, kib] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number]
      resolve({ cpuSeconds: user + system, maxRssMiB: kib / 1024 })
    })
  })

const median = (xs: ReadonlyArray<number>): number => percentile(xs, 0.5)

export const checkServiceDiscovery = async (): Promise<ReadonlyArray<BenchResult>> => {
  if (!existsSync("/usr/bin/time") || !existsSync("/usr/bin/promtool")) {
    throw new Error("needs /usr/bin/time (Debian package time) and promtool (Debian package prometheus)")
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-check-sd-"))
  const groups = Array.from({ length: targets / 10 }, (_, g) => ({
    targets: Array.from({ length: 10 }, (_, t) => `10.${g >> 16}.${(g >> 8) & 255}.${g & 255}:${9000 + t}`),
    labels: { __meta_namespace: `ns-${g % 40}`, __meta_pod: `pod-${g}`, __meta_team: `team-${g % 17}`, env: g % 5 === 0 ? "dev" : "prod" }
  }))
  writeFileSync(join(dir, "targets.json"), JSON.stringify(groups))
  const config = join(dir, "prometheus.yml")
  writeFileSync(config, `
scrape_configs:
  - job_name: files
    file_sd_configs: [{files: ["${join(dir, "targets.json")}"]}]
    relabel_configs:
      - {source_labels: [env], regex: dev, action: drop}
      - {source_labels: [__meta_namespace, __meta_pod], separator: /, target_label: instance_name, replacement: "ns=$1"}
      - {regex: __meta_(.+), action: labelmap}
`)
  const root = join(import.meta.dirname, "..")
  await promisify(execFile)(process.execPath, [join(root, "build.ts")])
  const ours: Array<Usage> = []
  const theirs: Array<Usage> = []
  for (let i = 0; i < runs; i++) {
    ours.push(await measure([process.execPath, "--max-semi-space-size=32", join(root, "dist", "main.mjs"), "check", "service-discovery", config, "files"], join(dir, "time")))
    theirs.push(await measure(["promtool", "check", "service-discovery", "--timeout=5s", config, "files"], join(dir, "time")))
  }
  const cpu = { ours: median(ours.map((u) => u.cpuSeconds)), theirs: median(theirs.map((u) => u.cpuSeconds)) }
  const rss = { ours: median(ours.map((u) => u.maxRssMiB)), theirs: median(theirs.map((u) => u.maxRssMiB)) }
  return [
    { name: `check service-discovery, ${targets} file_sd targets, drop + replace + labelmap, median of ${runs}: our CPU`, value: cpu.ours, unit: "s" },
    { name: "  promtool's CPU", value: cpu.theirs, unit: "s" },
    { name: "  ours / promtool's, CPU", value: cpu.ours / cpu.theirs, unit: "×", target: "<= 0.33" },
    { name: "  our peak memory", value: rss.ours, unit: "MiB" },
    { name: "  promtool's peak memory", value: rss.theirs, unit: "MiB" },
    { name: "  ours / promtool's, peak memory", value: rss.ours / rss.theirs, unit: "×", target: "<= 0.5" }
  ]
}
