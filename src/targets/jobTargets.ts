/**
 * The targets of one job, kept incrementally: a change of one discovery source reprocesses only that source.
 *
 * Several sources (or several entries of one group) may produce the same identity; the job serves it once. Which
 * copy's labels are served must not depend on the order events arrived in, or two allocator replicas would serve
 * different labels for the same target: the copy from the smallest source key wins, then the earliest in its group.
 *
 * The state is mutable and owned by the single fiber that runs the pipeline; every update reports what it changed.
 */
import type { TargetGroup } from "../discovery/targetGroup.ts"
import type { TargetBuilder } from "./build.ts"
import { sameLabels, served as record, type Served, type Target } from "./target.ts"

/** What an update changed, as the records of the identities it changed. */
export interface TargetDiff {
  readonly added: Array<Served>
  /** Their `target` is still the copy served until now. */
  readonly removed: Array<Served>
  /** Same identity, other labels served (e.g. a pod's meta labels changed, or the serving copy went away). */
  readonly updated: Array<{ readonly served: Served; readonly previous: Target }>
}

export const emptyDiff = (): TargetDiff => ({ added: [], removed: [], updated: [] })

export const isEmptyDiff = (d: TargetDiff): boolean => d.added.length + d.removed.length + d.updated.length === 0

interface SourceEntry {
  readonly group: TargetGroup
  readonly targets: ReadonlyArray<Target>
}

export interface JobTargets {
  readonly job: string
  builder: TargetBuilder
  /** Targets discovered, before filtering. */
  discovered: number
  readonly sources: Map<string, SourceEntry>
  /** Identity → its record; between updates, exactly the identities served. */
  readonly byId: Map<number, Served>
}

/** The copies of an identity whose last copy went away during an update. */
const NONE: ReadonlyArray<Target> = Object.freeze([])

const servedCopy = (copies: Target | Array<Target>): Target | undefined => (Array.isArray(copies) ? copies[0] : copies)

export const make = (job: string, builder: TargetBuilder): JobTargets => ({
  job,
  builder,
  discovered: 0,
  sources: new Map(),
  byId: new Map()
})

export const served = (state: JobTargets): Iterable<Target> => {
  const it = state.byId.values()
  return {
    [Symbol.iterator]: () => ({
      next: () => {
        const r = it.next()
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value.target }
      }
    })
  }
}

export const size = (state: JobTargets): number => state.byId.size

/** The key a group is stored under: its provider, then its source within the provider. */
export const sourceKey = (provider: string, source: string): string => `${provider}\u0000${source}`

/**
 * What an update changes, from the copy each record it touched served before; records stay in `byId` while they
 * have no copy until the update ends, so an identity whose group is replaced keeps its record (and its collector).
 */
class Tracker {
  /** Record → the copy it served before the update, `undefined` if the record is new. */
  readonly before = new Map<Served, Target | undefined>()
  touch(r: Served) {
    if (!this.before.has(r)) this.before.set(r, r.target)
  }
  created(r: Served) {
    this.before.set(r, undefined)
  }
  into(state: JobTargets, diff: TargetDiff): void {
    for (const [r, was] of this.before) {
      const now = servedCopy(r.copies)
      if (now === undefined) state.byId.delete(r.target.id)
      if (was === undefined && now !== undefined) {
        r.target = now
        diff.added.push(r)
      } else if (was !== undefined && now === undefined) diff.removed.push(r)
      else if (was !== undefined && now !== undefined && was !== now && !sameLabels(was, now)) {
        r.target = now
        diff.updated.push({ served: r, previous: was })
      }
    }
  }
}

const insertCopy = (state: JobTargets, t: Target, tracker: Tracker | undefined): void => {
  const r = state.byId.get(t.id)
  if (r === undefined) {
    const made = record(t)
    state.byId.set(t.id, made)
    tracker?.created(made)
    return
  }
  tracker?.touch(r)
  const existing = r.copies
  if (existing === NONE) {
    r.copies = t
    return
  }
  const copies = Array.isArray(existing) ? existing : [existing]
  r.copies = copies
  // Stable: after every copy with a source <= t.source.
  let i = copies.length
  while (i > 0 && copies[i - 1]!.source > t.source) i--
  copies.splice(i, 0, t)
}

const removeCopy = (state: JobTargets, t: Target, tracker: Tracker | undefined): void => {
  const r = state.byId.get(t.id)!
  tracker?.touch(r)
  const copies = r.copies
  if (Array.isArray(copies) && copies.length > 1) {
    copies.splice(copies.indexOf(t), 1)
    if (copies.length === 1) r.copies = copies[0]!
  } else if (tracker === undefined) state.byId.delete(t.id)
  else r.copies = NONE as Array<Target>
}

const replaceSource = (state: JobTargets, key: string, group: TargetGroup | undefined, tracker: Tracker | undefined): void => {
  const old = state.sources.get(key)
  if (old !== undefined) {
    for (const t of old.targets) removeCopy(state, t, tracker)
    state.sources.delete(key)
    state.discovered -= old.group.targets.length
  }
  if (group === undefined || group.targets.length === 0) return
  state.discovered += group.targets.length
  const targets: Array<Target> = []
  for (const labels of group.targets) {
    const t = state.builder(key, group.labels, labels)
    if (t === undefined) continue
    targets.push(t)
    insertCopy(state, t, tracker)
  }
  state.sources.set(key, { group, targets })
}

/** Applies a provider's update: each group replaces the provider's previous group of the same source. */
export const applyGroups = (state: JobTargets, provider: string, groups: ReadonlyArray<TargetGroup>, diff: TargetDiff): void => {
  // A job's first update (its initial sync) has nothing to compare with: everything it ends up serving is new.
  const tracker = state.byId.size === 0 ? undefined : new Tracker()
  for (const g of groups) replaceSource(state, sourceKey(provider, g.source), g, tracker)
  if (tracker !== undefined) return tracker.into(state, diff)
  state.byId.forEach((r) => {
    r.target = servedCopy(r.copies)!
    diff.added.push(r)
  })
}

/** Forgets every group of a provider (its SD config was removed or replaced). */
export const removeProvider = (state: JobTargets, provider: string, diff: TargetDiff): void => {
  const prefix = sourceKey(provider, "")
  const tracker = new Tracker()
  for (const key of [...state.sources.keys()]) if (key.startsWith(prefix)) replaceSource(state, key, undefined, tracker)
  tracker.into(state, diff)
}

/** Re-filters every group with a new builder (the job's relabeling or identity inputs changed). */
export const rebuild = (state: JobTargets, builder: TargetBuilder, diff: TargetDiff): void => {
  state.builder = builder
  const tracker = new Tracker()
  for (const [key, entry] of [...state.sources]) replaceSource(state, key, entry.group, tracker)
  tracker.into(state, diff)
}

/** Everything the job serves, as removals: the job is gone. */
export const clear = (state: JobTargets, diff: TargetDiff): void => {
  for (const r of state.byId.values()) diff.removed.push(r)
  state.byId.clear()
  state.sources.clear()
  state.discovered = 0
}
