/**
 * `target-allocator check service-discovery` against `promtool check service-discovery` on the same input: 100k
 * file_sd targets, a job with a drop, a replace and a labelmap rule. Both run as commands under GNU time, which
 * gives each one's CPU seconds and peak memory (promtool waits out its --timeout; its CPU is what is compared). Ours
 * is the bundle, as the container and `npm start` run it, built afresh first so that it is the sources' current state.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import type { BenchResult } from "./measure.ts"

const targets = 100_000

interface Usage {
  readonly cpuSeconds: number
  readonly maxRssMiB: number
  readonly stdoutBytes: number
}

/** CPU and peak RSS of a command, from GNU time's `-f "%U %S %M"` on its stderr's last line. */
const measure = async (command: ReadonlyArray<string>): Promise<Usage> => {
  const { stdout, stderr } = await promisify(execFile)("/usr/bin/time", ["-f", "%U %S %M", ...command], { maxBuffer: 1 << 30 })
  const [user, system, kib] = stderr.trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number]
  return { cpuSeconds: user + system, maxRssMiB: kib / 1024, stdoutBytes: stdout.length }
}

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
  const ours = await measure([process.execPath, "--max-semi-space-size=32", join(root, "dist", "main.mjs"), "check", "service-discovery", config, "files"])
  const theirs = await measure(["promtool", "check", "service-discovery", "--timeout=5s", config, "files"])
  return [
    { name: `check service-discovery, ${targets} file_sd targets, drop + replace + labelmap: our CPU`, value: ours.cpuSeconds, unit: "s" },
    { name: "  promtool's CPU", value: theirs.cpuSeconds, unit: "s" },
    { name: "  ours / promtool's, CPU", value: ours.cpuSeconds / theirs.cpuSeconds, unit: "×", target: "<= 0.33" },
    { name: "  our peak memory", value: ours.maxRssMiB, unit: "MiB" },
    { name: "  promtool's peak memory", value: theirs.maxRssMiB, unit: "MiB" },
    { name: "  ours / promtool's, peak memory", value: ours.maxRssMiB / theirs.maxRssMiB, unit: "×", target: "<= 0.5" }
  ]
}
