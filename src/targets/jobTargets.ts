/**
 * The targets of one job, kept incrementally: a change of one discovery source reprocesses only that source.
 *
 * Several sources (or several entries of one group) may produce the same identity; the job serves it once. Which
 * copy's labels are served must not depend on the order events arrived in, or two allocator replicas would serve
 * different labels for the same target: the copy from the smallest source key wins, then the earliest in its group.
 *
 * Each served identity is a slot of the shared `Records` (records.ts), found by its identity through the job's
 * index. The state is mutable and owned by the single fiber that runs the pipeline; every update reports what it
 * changed.
 */
import * as Growth from "../collections/growth.ts"
import * as SlotIndex from "../collections/slotIndex.ts"
import type { TargetGroup } from "../discovery/targetGroup.ts"
import { DROPPED, type TargetFilter } from "./build.ts"
import * as Records from "./records.ts"
import { type Origin, sameLabels, Target } from "./target.ts"

/** What an update changed, as the slots of the identities it changed. */
export interface TargetDiff {
  readonly added: Array<number>
  /** Each with the copy served until now: the one the collector's document holds. */
  readonly removed: Array<{ readonly slot: number; readonly target: Target }>
  /** Same identity, other labels served (e.g. a pod's meta labels changed, or the serving copy went away). */
  readonly updated: Array<{ readonly slot: number; readonly previous: Target }>
}

export const emptyDiff = (): TargetDiff => ({ added: [], removed: [], updated: [] })

export const isEmptyDiff = (d: TargetDiff): boolean => d.added.length + d.removed.length + d.updated.length === 0

/** A source's group, with what was kept of it. */
interface SourceEntry {
  readonly group: TargetGroup
  /**
   * The slot of each target kept: its identity's, found once when it was added. The targets themselves are not
   * kept here: a source's copies always leave together, so a copy to remove is any of the slot's from the source.
   */
  readonly slots: ReadonlyArray<number>
}

export interface JobTargets {
  readonly job: string
  filter: TargetFilter
  /** Targets discovered, before filtering. */
  discovered: number
  readonly sources: Map<string, SourceEntry>
  readonly records: Records.Records
  /** Identity → its slot; between updates, exactly the identities served. */
  readonly ids: SlotIndex.SlotIndex
}

/** The copies of an identity whose last copy went away during an update. */
const NONE: ReadonlyArray<Target> = Object.freeze([])

export const make = (job: string, filter: TargetFilter, records: Records.Records = Records.make()): JobTargets => ({
  job,
  filter,
  discovered: 0,
  sources: new Map(),
  records,
  ids: SlotIndex.make((slot) => records.id.get(slot))
})

/** The slots served. */
export const slots = (state: JobTargets): Array<number> => {
  const out: Array<number> = []
  SlotIndex.forEach(state.ids, (slot) => out.push(slot))
  return out
}

/** The targets served. */
export const served = (state: JobTargets): Array<Target> => slots(state).map((slot) => Records.served(state.records, slot)!)

export const size = (state: JobTargets): number => state.ids.size

/**
 * The key a group is stored under: its provider, then its source within the provider. Joined, so that it is one
 * flat string from the start (see `joinHostPort`): a concatenation would be copied out at its first lookup.
 */
export const sourceKey = (provider: string, source: string): string => [provider, source].join("\u0000")

/**
 * What an update changes, from the copy each slot it touched served before; slots stay in the index while they
 * have no copy until the update ends, so an identity whose group is replaced keeps its slot (and its collector).
 */
class Tracker {
  /** The slots touched, each marked with the update's number in the store's `touchedIn` (collections/marks.ts). */
  readonly slots: Array<number> = []
  /** The copy each served before the update, `undefined` if the slot is new. */
  readonly before: Array<Target | undefined> = []
  readonly update: number
  constructor(records: Records.Records) {
    this.update = Records.nextUpdate(records)
  }
  touch(state: JobTargets, slot: number) {
    const records = state.records
    if (records.touchedIn.get(slot) === this.update) return
    records.touchedIn.set(slot, this.update)
    this.slots.push(slot)
    this.before.push(Records.served(records, slot))
  }
  created(state: JobTargets, slot: number) {
    state.records.touchedIn.set(slot, this.update)
    this.slots.push(slot)
    this.before.push(undefined)
  }
  into(state: JobTargets, diff: TargetDiff): void {
    const records = state.records
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i]!
      const was = this.before[i]
      const now = Records.served(records, slot)
      if (now === undefined) {
        SlotIndex.remove(state.ids, records.id.get(slot), slot)
        Records.release(records, slot)
      }
      if (was === undefined && now !== undefined) diff.added.push(slot)
      else if (was !== undefined && now === undefined) diff.removed.push({ slot, target: was })
      else if (was !== undefined && now !== undefined && was !== now && !sameLabels(was, now)) {
        diff.updated.push({ slot, previous: was })
      }
    }
  }
}

/** Slots made in a job's first update, which no tracker follows. */
interface Created {
  slots: Int32Array
  count: number
}

/** For updates a tracker follows: never written to. */
const NONE_CREATED: Created = Object.freeze({ slots: new Int32Array(0), count: 0 })

/** Adds a copy of identity `id`; returns the identity's slot. */
const insertCopy = (state: JobTargets, t: Target, id: number, tracker: Tracker | undefined, created: Created): number => {
  const records = state.records
  const next = Records.next(records)
  const slot = SlotIndex.findOrInsert(state.ids, id, next)
  if (slot === next) {
    Records.claim(records, t, id)
    if (tracker !== undefined) tracker.created(state, slot)
    else created.slots[created.count++] = slot
    return slot
  }
  tracker?.touch(state, slot)
  const existing = records.copies.get(slot)!
  if (existing === NONE) {
    records.copies.set(slot, t)
    return slot
  }
  const copies = Array.isArray(existing) ? existing : [existing]
  records.copies.set(slot, copies)
  // Stable: after every copy with a source <= t.source.
  let i = copies.length
  while (i > 0 && copies[i - 1]!.source > t.source) i--
  copies.splice(i, 0, t)
  return slot
}

/** Removes a copy from source `source` from its identity's slot. */
const removeCopy = (state: JobTargets, source: string, slot: number, tracker: Tracker | undefined): void => {
  const records = state.records
  tracker?.touch(state, slot)
  const copies = records.copies.get(slot)!
  if (Array.isArray(copies) && copies.length > 1) {
    copies.splice(copies.findIndex((c) => c.source === source), 1)
    if (copies.length === 1) records.copies.set(slot, copies[0]!)
  } else if (tracker === undefined) {
    SlotIndex.remove(state.ids, records.id.get(slot), slot)
    Records.release(records, slot)
  } else records.copies.set(slot, NONE as Array<Target>)
}

const replaceSource = (
  state: JobTargets,
  key: string,
  group: TargetGroup | undefined,
  tracker: Tracker | undefined,
  created: Created
): void => {
  const old = state.sources.get(key)
  if (old !== undefined) {
    for (let i = 0; i < old.slots.length; i++) removeCopy(state, key, old.slots[i]!, tracker)
    state.discovered -= old.group.targets.length
  }
  if (group === undefined || group.targets.length === 0) {
    // Deleted only when the source is gone: a group replaced is set over its entry, which a delete would leave as
    // a hole for the map to compact later.
    if (old !== undefined) state.sources.delete(key)
    return
  }
  state.discovered += group.targets.length
  // Sized for every target of the group, then cut to those kept: grown by pushes, it would be twice that.
  const slots = new Array<number>(group.targets.length)
  // An object of its own, not the entry: a target outlives its group's entry in the documents that serve it, and
  // would keep with it every target of the group, those dropped included.
  const origin: Origin = { source: key, labels: group.labels }
  let n = 0
  for (const labels of group.targets) {
    const id = state.filter(group.labels, labels)
    if (id === DROPPED) continue
    slots[n++] = insertCopy(state, new Target(origin, labels), id, tracker, created)
  }
  slots.length = n
  state.sources.set(key, { group, slots })
}

/** Applies a provider's update: each group replaces the provider's previous group of the same source. */
export const applyGroups = (state: JobTargets, provider: string, groups: ReadonlyArray<TargetGroup>, diff: TargetDiff): void => {
  // A job's first update (its initial sync) has nothing to compare with: everything it ends up serving is new.
  if (state.ids.size > 0) {
    const tracker = new Tracker(state.records)
    for (const g of groups) replaceSource(state, sourceKey(provider, g.source), g, tracker, NONE_CREATED)
    return tracker.into(state, diff)
  }
  // Sized once for every target of the update: a job's first update may bring a hundred thousand.
  let targets = 0
  for (const g of groups) targets += g.targets.length
  SlotIndex.reserve(state.ids, targets)
  const records = state.records
  const created: Created = { slots: new Int32Array(targets), count: 0 }
  for (const g of groups) replaceSource(state, sourceKey(provider, g.source), g, undefined, created)
  const added = diff.added
  const from = added.length
  Growth.reserve(added, from + created.count, 0)
  let n = from
  for (let i = 0; i < created.count; i++) {
    const slot = created.slots[i]!
    if (records.copies.get(slot) === undefined) continue
    added[n++] = slot
  }
  added.length = n
}

/** Forgets every group of a provider (its SD config was removed or replaced). */
export const removeProvider = (state: JobTargets, provider: string, diff: TargetDiff): void => {
  const prefix = sourceKey(provider, "")
  const tracker = new Tracker(state.records)
  for (const key of [...state.sources.keys()]) if (key.startsWith(prefix)) replaceSource(state, key, undefined, tracker, NONE_CREATED)
  tracker.into(state, diff)
}

/** Re-filters every group with a new filter (the job's relabeling or identity inputs changed). */
export const refilter = (state: JobTargets, filter: TargetFilter, diff: TargetDiff): void => {
  state.filter = filter
  const tracker = new Tracker(state.records)
  for (const [key, entry] of [...state.sources]) replaceSource(state, key, entry.group, tracker, NONE_CREATED)
  tracker.into(state, diff)
}

/** Everything the job serves, as removals: the job is gone. */
export const clear = (state: JobTargets, diff: TargetDiff): void => {
  for (const slot of slots(state)) {
    diff.removed.push({ slot, target: Records.served(state.records, slot)! })
    Records.release(state.records, slot)
  }
  SlotIndex.clear(state.ids)
  state.sources.clear()
  state.discovered = 0
}
