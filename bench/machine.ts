/**
 * How fast the machine is right now, by two fixed workloads: the benchmark machine (a small VM) runs the same code
 * up to 1.5 times slower from one hour to the next, and a figure means little without the speed it was measured at.
 * `bench/run.ts` runs this file in a process of its own before and after the benchmarks (in the benchmarks' own
 * process, its 256 MiB took a fifth off the HTTP_SD benchmark after it).
 *
 * - compute: gzip of 16 MiB of HTTP_SD-like JSON, the work that dominates polling;
 * - fresh memory: filling 256 MiB never touched before, what a first allocation pays for every page it grows by.
 */
import { performance } from "node:perf_hooks"
import { gzipSync } from "node:zlib"

const text = (() => {
  const parts: Array<string> = []
  for (let i = 0; parts.length < 64_000; i++) {
    parts.push(`{"targets":["10.${i % 250}.${(i >> 8) % 250}.${i % 7}:${9000 + (i % 20)}"],"labels":{"__meta_kubernetes_pod_name":"app-${i % 300}-${(i * 2654435761) >>> 0}"}}`)
  }
  return Buffer.from(parts.join(","))
})()

const machineSpeed = (): string => {
  const mib = 16
  const input = Buffer.alloc(mib * 2 ** 20)
  for (let at = 0; at < input.length; at += text.length) text.copy(input, at)
  let start = performance.now()
  gzipSync(input)
  const gzipMs = performance.now() - start
  start = performance.now()
  const fresh = Buffer.allocUnsafeSlow(256 * 2 ** 20)
  fresh.fill(1)
  const freshMs = performance.now() - start
  return `machine speed: gzip of ${mib} MiB ${gzipMs.toFixed(0)} ms, 256 MiB of fresh memory filled ${freshMs.toFixed(0)} ms`
}

console.log(machineSpeed())
