/** Targets, collectors and an allocation driver for the strategy tests. */
import * as Alloc from "../../src/allocation/allocator.ts"
import type { Strategy } from "../../src/allocation/strategy.ts"
import * as L from "../../src/labels/labels.ts"
import type { Collector } from "../../src/membership/collector.ts"
import { identity } from "../../src/targets/identity.ts"
import type { Target } from "../../src/targets/target.ts"

export const target = (job: string, address: string, extra: Record<string, string> = {}): Target => {
  const labels = L.fromRecord({ __address__: address, ...extra })
  return { job, address, groupLabels: L.empty, targetLabels: labels, id: identity(job, labels), source: "s" }
}

export const collectors = (n: number, node?: (i: number) => string): Array<Collector> =>
  Array.from({ length: n }, (_, i) => ({ name: `collector-${i}`, node: node?.(i) ?? "" }))

export const addresses = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = k + offset
    return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100`
  })

/** `job|address` → collector. */
export const assignment = (state: Alloc.AllocationState): Map<string, string | undefined> => {
  const out = new Map<string, string | undefined>()
  for (const [job, assigned] of state.jobs) for (const a of assigned.values()) out.set(`${job}|${a.target.address}`, a.collector)
  return out
}

/** An allocation driven as the pipeline drives it: changes applied, then settled once. */
export const allocation = (strategy: Strategy) => {
  const state = Alloc.make(strategy)
  const run = (f: (changes: Alloc.Changes) => void): Alloc.Changes => {
    const changes = Alloc.emptyChanges()
    f(changes)
    Alloc.settle(state, changes)
    return changes
  }
  return {
    state,
    add: (ts: ReadonlyArray<Target>) =>
      run((changes) => {
        const byJob = Map.groupBy(ts, (t) => t.job)
        for (const [job, added] of byJob) Alloc.applyTargets(state, job, { added, removed: [], updated: [] }, changes)
      }),
    remove: (ts: ReadonlyArray<Target>) =>
      run((changes) => {
        for (const [job, removed] of Map.groupBy(ts, (t) => t.job)) Alloc.applyTargets(state, job, { added: [], removed, updated: [] }, changes)
      }),
    update: (ts: ReadonlyArray<Target>) =>
      run((changes) => {
        for (const [job, updated] of Map.groupBy(ts, (t) => t.job)) Alloc.applyTargets(state, job, { added: [], removed: [], updated }, changes)
      }),
    setCollectors: (cs: ReadonlyArray<Collector>) => run((changes) => Alloc.setCollectors(state, cs, changes)),
    loads: () => [...state.totals.values()],
    assignment: () => assignment(state)
  }
}

/** How many of `before`'s targets are on another collector in `after`. */
export const movedBetween = (before: ReadonlyMap<string, string | undefined>, after: ReadonlyMap<string, string | undefined>, except?: string) => {
  let n = 0
  for (const [k, c] of before) if (c !== except && after.get(k) !== c) n++
  return n
}
