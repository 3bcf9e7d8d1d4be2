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
import { sameLabels, type Target } from "./target.ts"

export interface TargetDiff {
  readonly added: Array<Target>
  readonly removed: Array<Target>
  /** Same identity, other labels served (e.g. a pod's meta labels changed, or the serving copy went away). */
  readonly updated: Array<Target>
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
  /** Identity → every copy, served copy first. */
  readonly byId: Map<number, Copies>
}

/** A lone copy is kept as itself: almost every identity has one, and an array each would cost a million arrays. */
type Copies = Target | Array<Target>

const servedCopy = (copies: Copies | undefined): Target | undefined =>
  copies === undefined ? undefined : Array.isArray(copies) ? copies[0] : copies

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
        return r.done ? { done: true, value: undefined } : { done: false, value: servedCopy(r.value)! }
      }
    })
  }
}

export const size = (state: JobTargets): number => state.byId.size

/** The key a group is stored under: its provider, then its source within the provider. */
export const sourceKey = (provider: string, source: string): string => `${provider}\u0000${source}`

const insertCopy = (state: JobTargets, t: Target): void => {
  const existing = state.byId.get(t.id)
  if (existing === undefined) {
    state.byId.set(t.id, t)
    return
  }
  const copies = Array.isArray(existing) ? existing : [existing]
  if (copies !== existing) state.byId.set(t.id, copies)
  // Stable: after every copy with a source <= t.source.
  let i = copies.length
  while (i > 0 && copies[i - 1]!.source > t.source) i--
  copies.splice(i, 0, t)
}

const removeCopy = (state: JobTargets, t: Target): void => {
  const copies = state.byId.get(t.id)!
  if (!Array.isArray(copies)) {
    state.byId.delete(t.id)
    return
  }
  copies.splice(copies.indexOf(t), 1)
  if (copies.length === 1) state.byId.set(t.id, copies[0]!)
}

/** What an update changes, from the served copy of each identity it touched, before and after. */
class Tracker {
  readonly before = new Map<number, Target | undefined>()
  touch(state: JobTargets, id: number) {
    if (!this.before.has(id)) this.before.set(id, servedCopy(state.byId.get(id)))
  }
  into(state: JobTargets, diff: TargetDiff): void {
    for (const [id, was] of this.before) {
      const now = servedCopy(state.byId.get(id))
      if (was === undefined && now !== undefined) diff.added.push(now)
      else if (was !== undefined && now === undefined) diff.removed.push(was)
      else if (was !== undefined && now !== undefined && was !== now && !sameLabels(was, now)) diff.updated.push(now)
    }
  }
}

const replaceSource = (state: JobTargets, key: string, group: TargetGroup | undefined, tracker: Tracker | undefined): void => {
  const old = state.sources.get(key)
  if (old !== undefined) {
    for (const t of old.targets) {
      tracker?.touch(state, t.id)
      removeCopy(state, t)
    }
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
    tracker?.touch(state, t.id)
    insertCopy(state, t)
  }
  state.sources.set(key, { group, targets })
}

/** Applies a provider's update: each group replaces the provider's previous group of the same source. */
export const applyGroups = (state: JobTargets, provider: string, groups: ReadonlyArray<TargetGroup>, diff: TargetDiff): void => {
  // A job's first update (its initial sync) has nothing to compare with: everything it ends up serving is new.
  const tracker = state.byId.size === 0 ? undefined : new Tracker()
  for (const g of groups) replaceSource(state, sourceKey(provider, g.source), g, tracker)
  if (tracker !== undefined) tracker.into(state, diff)
  else for (const t of served(state)) diff.added.push(t)
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
  for (const t of served(state)) diff.removed.push(t)
  state.byId.clear()
  state.sources.clear()
  state.discovered = 0
}
