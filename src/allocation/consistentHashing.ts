/**
 * `consistent-hashing`: a hash ring with virtual nodes, keyed on the target's address, so the same address lands on
 * the same collector in every job and in every allocator replica, whatever the order of events.
 */
import { hashString } from "../labels/hash.ts"
import type { Collector } from "../membership/collector.ts"
import type { Placement, Strategy } from "./strategy.ts"

const virtualNodes = 256

export interface Ring {
  readonly points: Float64Array
  readonly owners: ReadonlyArray<string>
}

export const buildRing = (collectors: ReadonlyArray<Collector>): Ring => {
  const entries: Array<readonly [number, string]> = []
  for (const c of collectors) {
    for (let i = 0; i < virtualNodes; i++) entries.push([hashString(`${i}:${c.name}`), c.name])
  }
  // Ties (astronomically rare) are broken by name so every replica builds the same ring.
  entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return { points: Float64Array.from(entries, (e) => e[0]), owners: entries.map((e) => e[1]) }
}

export const lookup = (ring: Ring, key: string): string | undefined => {
  const n = ring.points.length
  if (n === 0) return undefined
  const h = hashString(key)
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ring.points[mid]! < h) lo = mid + 1
    else hi = mid
  }
  return ring.owners[lo === n ? 0 : lo]
}

export const consistentHashing: Strategy = {
  name: "consistent-hashing",
  placement: (collectors): Placement => {
    const ring = buildRing(collectors)
    return { place: (target) => lookup(ring, target.address) }
  }
}
