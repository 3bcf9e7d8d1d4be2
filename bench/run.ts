/**
 * `npm run bench [-- name...]`: runs the benchmarks (all but the slow ones, or those named) and prints their figures
 * with the Node version and machine, ready for bench/README.md.
 */
// First, as in the allocator's own entry point: the V8 setting it runs with.
import "../layers/v8Flags.ts"
import { execFileSync } from "node:child_process"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { allocation, allocationLeastWeighted, allocationMillion } from "./allocation.ts"
import { checkServiceDiscovery } from "./checkServiceDiscovery.ts"
import { httpSd } from "./httpSd.ts"
import { kubernetesSd } from "./kubernetesSd.ts"
import type { BenchResult } from "./measure.ts"

const benchmarks: Record<string, () => Promise<ReadonlyArray<BenchResult>>> = {
  kubernetesSd,
  allocation,
  allocationMillion,
  httpSd,
  checkServiceDiscovery,
  // Last, so that the HTTP_SD measurement runs in the same process state as before it was added.
  allocationLeastWeighted
}
/** Run only when named: it takes minutes. */
const onRequest = new Set(["allocationMillion"])

const wanted = process.argv.slice(2)
const unknown = wanted.filter((w) => !(w in benchmarks))
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")} (known: ${Object.keys(benchmarks).join(", ")})`)
  process.exit(2)
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`)
const machineSpeed = (): string => execFileSync(process.execPath, [fileURLToPath(new URL("machine.ts", import.meta.url))], { encoding: "utf8" }).trim()
console.log(`before: ${machineSpeed()}`)
for (const [name, bench] of Object.entries(benchmarks)) {
  if (wanted.length > 0 ? !wanted.includes(name) : onRequest.has(name)) continue
  // Each benchmark starts from a collected heap, not with the garbage of the one before (a full collection of it
  // during a latency measurement would be the previous benchmark's cost).
  globalThis.gc?.()
  console.log(`\n## ${name}\n`)
  console.log("| measure | value | target |\n|---|---:|---|")
  for (const r of await bench()) console.log(`| ${r.name} | ${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit} | ${r.target ?? ""} |`)
}
console.log(`\nafter: ${machineSpeed()}`)
