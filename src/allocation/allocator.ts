/**
 * The assignment of targets to collectors, kept incrementally. Target diffs and collector changes are recorded as
 * they come; `settle` then lets the strategy place what changed, once per batch (a global strategy such as
 * consistent hashing with bounded loads computes once for a whole discovery update, not once per job). Every move
 * is recorded as which targets joined or left which (job, collector) pair, in order, so the served documents
 * follow it change by change.
 *
 * Mutable, owned by the one fiber that runs the pipeline.
 */
import { byName, type Collector } from "../membership/collector.ts"
import type { TargetDiff } from "../targets/jobTargets.ts"
import type { Target } from "../targets/target.ts"
import type { Assigned, AllocationView, Loads, Placer, Strategy } from "./strategy.ts"

export type { Assigned } from "./strategy.ts"

interface PendingState {
  /** In the order added; a target added and removed before settling is never seen by the placer (`live`). */
  added: Array<Assigned>
  /** How many of `added` were removed since: most batches have none, and need no filtering. */
  addedGone: number
  readonly removed: Array<Target>
  /** The target as the placer last saw it, for each one replaced since. */
  readonly updated: Map<Assigned, Target>
  collectorsChanged: boolean
  /** Targets unassigned because their collector left, with that collector: a later placement is a move. */
  readonly orphaned: Map<Assigned, string>
}

export interface AllocationState {
  readonly strategy: Strategy
  readonly placer: Placer
  /** Sorted by name. */
  collectors: ReadonlyArray<Collector>
  /** job → identity → assignment: the job's own records (`JobTargets.byId`), read, never written. */
  readonly jobs: Map<string, ReadonlyMap<number, Assigned>>
  /** collector → job → count */
  readonly counts: Map<string, Map<string, number>>
  readonly totals: Map<string, number>
  unassigned: number
  readonly pending: PendingState
}

/**
 * Told of every target joining or leaving what a collector is served for its job, in the order it happens: replaying
 * the calls turns the previous served state into the current one. A callback, not a log: a first allocation makes a
 * million of them. A target whose labels change keeps its record and its collector: it is `relabeled`.
 */
export type MembershipSink = (collector: string, record: Assigned, change: MembershipChange) => void

export type MembershipChange = "joined" | "left" | "relabeled"

/** What an update touched. */
export interface Changes {
  /** job → collectors whose HTTP_SD response changed */
  readonly pairs: Map<string, Set<string>>
  readonly membership: MembershipSink
  /** Jobs that appeared or disappeared from the set of jobs with targets. */
  jobSetChanged: boolean
  collectorsChanged: boolean
  /** Targets that had a collector and now have another. */
  moved: number
}

const ignore: MembershipSink = () => {}

export const emptyChanges = (membership: MembershipSink = ignore): Changes => ({
  pairs: new Map(),
  membership,
  jobSetChanged: false,
  collectorsChanged: false,
  moved: 0
})

const emptyPending = (): PendingState => ({ added: [], addedGone: 0, removed: [], updated: new Map(), collectorsChanged: false, orphaned: new Map() })

export const make = (strategy: Strategy): AllocationState => ({
  strategy,
  placer: strategy.makePlacer(),
  collectors: [],
  jobs: new Map(),
  counts: new Map(),
  totals: new Map(),
  unassigned: 0,
  pending: emptyPending()
})

const loadsOf = (state: AllocationState): Loads => ({
  total: (c) => state.totals.get(c) ?? 0,
  ofJob: (c, job) => state.counts.get(c)?.get(job) ?? 0
})

/** The (job, collector) pair's response changed. */
const dirty = (changes: Changes, job: string, collector: string): void => {
  let set = changes.pairs.get(job)
  if (set === undefined) changes.pairs.set(job, (set = new Set()))
  set.add(collector)
}

const mark = (changes: Changes, collector: string, a: Assigned, change: MembershipChange): void => {
  dirty(changes, a.target.job, collector)
  changes.membership(collector, a, change)
}

const attach = (state: AllocationState, a: Assigned, collector: string, changes: Changes): void => {
  a.collector = collector
  state.unassigned--
  const job = a.target.job
  let perJob = state.counts.get(collector)
  if (perJob === undefined) state.counts.set(collector, (perJob = new Map()))
  perJob.set(job, (perJob.get(job) ?? 0) + 1)
  state.totals.set(collector, (state.totals.get(collector) ?? 0) + 1)
  mark(changes, collector, a, "joined")
}

const detach = (state: AllocationState, a: Assigned, changes: Changes): void => {
  const collector = a.collector
  if (collector === undefined) return
  a.collector = undefined
  state.unassigned++
  const job = a.target.job
  const perJob = state.counts.get(collector)!
  const n = perJob.get(job)! - 1
  if (n === 0) perJob.delete(job)
  else perJob.set(job, n)
  state.totals.set(collector, state.totals.get(collector)! - 1)
  mark(changes, collector, a, "left")
}

/**
 * Applies one job's target diff: removals leave at once, additions and updates wait for `settle`. `records` is the
 * job's map of records after the diff, which the allocator reads from then on.
 */
export const applyTargets = (
  state: AllocationState,
  job: string,
  diff: TargetDiff,
  records: ReadonlyMap<number, Assigned>,
  changes: Changes
): void => {
  const hadTargets = state.jobs.has(job)
  const pending = state.pending
  for (const a of diff.removed) {
    detach(state, a, changes)
    state.unassigned--
    a.live = false
    pending.orphaned.delete(a)
    if (a.unplaced) {
      pending.addedGone++
      continue
    }
    pending.removed.push(pending.updated.get(a) ?? a.target)
    pending.updated.delete(a)
  }
  for (const { served: a, previous } of diff.updated) {
    if (a.collector !== undefined) mark(changes, a.collector, a, "relabeled")
    if (!a.unplaced && !pending.updated.has(a)) pending.updated.set(a, previous)
  }
  for (const a of diff.added) {
    state.unassigned++
    pending.added.push(a)
  }
  if (records.size === 0) state.jobs.delete(job)
  else state.jobs.set(job, records)
  if (hadTargets !== records.size > 0) changes.jobSetChanged = true
}

/** Replaces the collector set: the targets of departed collectors become unassigned until `settle`. */
export const setCollectors = (state: AllocationState, collectors: ReadonlyArray<Collector>, changes: Changes): void => {
  const sorted = [...collectors].sort(byName)
  const same = sorted.length === state.collectors.length &&
    sorted.every((c, i) => c.name === state.collectors[i]!.name && c.node === state.collectors[i]!.node)
  if (same) return
  changes.collectorsChanged = true
  state.collectors = sorted
  state.pending.collectorsChanged = true
  const live = new Set(sorted.map((c) => c.name))
  for (const assigned of state.jobs.values()) {
    for (const a of assigned.values()) {
      if (a.collector !== undefined && !live.has(a.collector)) {
        state.pending.orphaned.set(a, a.collector)
        detach(state, a, changes)
      }
    }
  }
  for (const gone of [...state.totals.keys()].filter((c) => !live.has(c))) {
    state.totals.delete(gone)
    state.counts.delete(gone)
  }
}

const isPending = (p: PendingState): boolean =>
  p.added.length > 0 || p.removed.length > 0 || p.updated.size > 0 || p.collectorsChanged

/** Lets the strategy place what changed since the last call. */
export const settle = (state: AllocationState, changes: Changes): void => {
  const pending = state.pending
  if (!isPending(pending)) return
  const live = new Set(state.collectors.map((c) => c.name))
  const view: AllocationView = {
    collectors: state.collectors,
    loads: loadsOf(state),
    all: function*() {
      for (const assigned of state.jobs.values()) yield* assigned.values()
    }
  }
  const batch = {
    added: pending.addedGone === 0 ? pending.added : pending.added.filter((a) => a.live),
    removed: pending.removed,
    updated: [...pending.updated].map(([assigned, previous]) => ({ assigned, previous })),
    collectorsChanged: pending.collectorsChanged
  }
  state.placer.settle(view, batch, (a, to) => {
    const from = a.collector
    if (to === from || (to !== undefined && !live.has(to))) return
    // A target removed in this batch may still be named by a placer's index; it is not ours to place.
    if (!a.live) return
    if (from !== undefined) detach(state, a, changes)
    if (to === undefined) return
    attach(state, a, to, changes)
    const was = from ?? pending.orphaned.get(a)
    if (was !== undefined && was !== to) changes.moved++
  })
  for (const a of pending.added) a.unplaced = false
  pending.added = []
  pending.addedGone = 0
  pending.removed.length = 0
  pending.updated.clear()
  pending.collectorsChanged = false
  pending.orphaned.clear()
}
