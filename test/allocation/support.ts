/** Targets, collectors and an allocation driver for the strategy tests. */
import * as Alloc from "../../src/allocation/allocator.ts"
import type { Strategy } from "../../src/allocation/strategy.ts"
import * as SlotIndex from "../../src/collections/slotIndex.ts"
import * as L from "../../src/labels/labels.ts"
import type { Collector } from "../../src/membership/collector.ts"
import { identity } from "../../src/targets/identity.ts"
import * as JT from "../../src/targets/jobTargets.ts"
import * as Records from "../../src/targets/records.ts"
import * as T from "../../src/targets/target.ts"

/** A target with what the allocator keeps beside it (its job, its identity), as a job's targets would give it. */
export interface Target extends T.Target {
  readonly job: string
  readonly id: number
}

/** `id`: the identity, when another copy of one already made (the same target, relabeled). */
export const target = (job: string, address: string, extra: Record<string, string> = {}, id?: number): Target => {
  const labels = L.fromRecord({ __address__: address, ...extra })
  return Object.assign(T.make("s", L.empty, labels), { job, id: id ?? identity(job, labels) })
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
  for (const [job, ids] of state.jobs) {
    SlotIndex.forEach(ids, (slot) => out.set(`${job}|${Records.served(state.records, slot)!.address}`, Alloc.collectorOf(state, slot)))
  }
  return out
}

/** An allocation driven as the pipeline drives it: changes applied, then settled once. */
export const allocation = (strategy: Strategy) => {
  const records = Records.make()
  const state = Alloc.make(strategy, records)
  /** The index a job's targets would keep (`JobTargets.ids`). */
  const indexes = new Map<string, SlotIndex.SlotIndex>()
  const indexOf = (job: string) => indexes.get(job) ?? indexes.set(job, SlotIndex.make((slot) => records.id.get(slot))).get(job)!
  const run = (f: (changes: Alloc.Changes) => void): Alloc.Changes => {
    const changes = Alloc.emptyChanges(state)
    f(changes)
    Alloc.settle(state, changes)
    return changes
  }
  /** What one batch may do before it settles. */
  const operations = (changes: Alloc.Changes) => {
    /** Each job's targets into a diff against its index, as the job's targets would make it, then applied. */
    const byJob = (ts: ReadonlyArray<Target>, into: (t: Target, ids: SlotIndex.SlotIndex, diff: JT.TargetDiff) => void) => {
      for (const [job, ofJob] of Map.groupBy(ts, (t) => t.job)) {
        const ids = indexOf(job)
        const diff = JT.emptyDiff()
        for (const t of ofJob) into(t, ids, diff)
        Alloc.applyTargets(state, job, diff, ids, changes)
      }
    }
    return {
      add: (ts: ReadonlyArray<Target>) =>
        byJob(ts, (t, ids, diff) => {
          const slot = Records.claim(records, t, t.id)
          SlotIndex.findOrInsert(ids, t.id, slot)
          diff.added.push(slot)
        }),
      remove: (ts: ReadonlyArray<Target>) =>
        byJob(ts, (t, ids, diff) => {
          const slot = SlotIndex.find(ids, t.id)
          if (slot < 0) return
          SlotIndex.remove(ids, t.id, slot)
          diff.removed.push({ slot, target: Records.served(records, slot)! })
          Records.release(records, slot)
        }),
      /** Targets replaced by another copy of the same identity (new labels, perhaps a new address). */
      update: (ts: ReadonlyArray<Target>) =>
        byJob(ts, (t, ids, diff) => {
          const slot = SlotIndex.find(ids, t.id)
          diff.updated.push({ slot, previous: Records.served(records, slot)! })
          records.copies.set(slot, t)
        }),
      setCollectors: (cs: ReadonlyArray<Collector>) => Alloc.setCollectors(state, cs, changes)
    }
  }
  return {
    state,
    add: (ts: ReadonlyArray<Target>) => run((changes) => operations(changes).add(ts)),
    remove: (ts: ReadonlyArray<Target>) => run((changes) => operations(changes).remove(ts)),
    update: (ts: ReadonlyArray<Target>) => run((changes) => operations(changes).update(ts)),
    /** Several operations, settled once, as the pipeline settles a discovery update. */
    batch: (f: (o: ReturnType<typeof operations>) => void) => run((changes) => f(operations(changes))),
    setCollectors: (cs: ReadonlyArray<Collector>) => run((changes) => operations(changes).setCollectors(cs)),
    /** Targets per live collector. */
    loads: () => [...state.byCollector.keys()].map((c) => Alloc.totalOf(state, c)),
    assignment: () => assignment(state)
  }
}

/** How many of `before`'s targets are on another collector in `after`. */
export const movedBetween = (before: ReadonlyMap<string, string | undefined>, after: ReadonlyMap<string, string | undefined>, except?: string) => {
  let n = 0
  for (const [k, c] of before) if (c !== except && after.get(k) !== c) n++
  return n
}
