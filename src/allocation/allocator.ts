/**
 * The assignment of targets to collectors, kept incrementally. Target diffs and collector changes are recorded as
 * they come; `settle` then lets the strategy place what changed, once per batch (a global strategy such as
 * consistent hashing with bounded loads computes once for a whole discovery update, not once per job). What each
 * collector serves of each job is kept as a `Pair`, changed move by move; a batch lists the pairs it changed, whose
 * documents are published again.
 *
 * Mutable, owned by the one fiber that runs the pipeline.
 */
import { byName, type Collector } from "../membership/collector.ts"
import type { TargetDiff } from "../targets/jobTargets.ts"
import type { Target } from "../targets/target.ts"
import * as Pair from "./pair.ts"
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
  /** Live collector → what it serves, by job. */
  readonly byCollector: Map<string, CollectorState>
  unassigned: number
  readonly pending: PendingState
  /** Batches begun (`emptyChanges`). */
  batches: number
}

/** What a live collector serves: its pairs by job, and its count across them. */
export interface CollectorState {
  readonly tally: Pair.Tally
  readonly byJob: Map<string, Pair.Pair>
}

/** What an update touched. */
export interface Changes {
  /** The pairs whose HTTP_SD response changed, each once, in the order first changed. */
  readonly changed: Array<Pair.Pair>
  /** Which batch this is, for the pairs to tell whether they are listed already. */
  readonly batch: number
  /** Jobs that appeared or disappeared from the set of jobs with targets. */
  jobSetChanged: boolean
  /** Targets were added or removed (assigned or not: without collectors no pair changes). */
  targetsChanged: boolean
  collectorsChanged: boolean
  /** Targets that had a collector and now have another. */
  moved: number
}

/** The changes of the allocation's next batch. */
export const emptyChanges = (state: AllocationState): Changes => ({
  changed: [],
  batch: ++state.batches,
  jobSetChanged: false,
  targetsChanged: false,
  collectorsChanged: false,
  moved: 0
})

const emptyPending = (): PendingState => ({ added: [], addedGone: 0, removed: [], updated: new Map(), collectorsChanged: false, orphaned: new Map() })

export const make = (strategy: Strategy): AllocationState => ({
  strategy,
  placer: strategy.makePlacer(),
  collectors: [],
  jobs: new Map(),
  byCollector: new Map(),
  unassigned: 0,
  pending: emptyPending(),
  batches: 0
})

/** Targets on a collector, across jobs. */
export const totalOf = (state: AllocationState, collector: string): number => state.byCollector.get(collector)?.tally.total ?? 0

const loadsOf = (state: AllocationState): Loads => ({
  total: (c) => totalOf(state, c),
  ofJob: (c, job) => state.byCollector.get(c)?.byJob.get(job)?.records.length ?? 0
})

const changed = (changes: Changes, pair: Pair.Pair): void => {
  if (pair.changedIn === changes.batch) return
  pair.changedIn = changes.batch
  changes.changed.push(pair)
}

const attach = (state: AllocationState, a: Assigned, collector: string, serving: CollectorState, changes: Changes): void => {
  a.collector = collector
  state.unassigned--
  const job = a.target.job
  let pair = serving.byJob.get(job)
  if (pair === undefined) serving.byJob.set(job, (pair = Pair.make(job, collector, serving.tally)))
  Pair.add(pair, a)
  changed(changes, pair)
}

/** The pair of a collector and a job, which one of its targets is assigned to. */
const pairOf = (state: AllocationState, collector: string, job: string): Pair.Pair =>
  state.byCollector.get(collector)!.byJob.get(job)!

const detach = (state: AllocationState, a: Assigned, changes: Changes): void => {
  if (a.collector === undefined) return
  const pair = pairOf(state, a.collector, a.target.job)
  a.collector = undefined
  state.unassigned++
  Pair.remove(pair, a)
  if (Pair.size(pair) === 0) state.byCollector.get(pair.collector)!.byJob.delete(pair.job)
  changed(changes, pair)
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
    if (a.collector !== undefined) {
      const pair = pairOf(state, a.collector, a.target.job)
      Pair.retarget(pair, a)
      changed(changes, pair)
    }
    if (!a.unplaced && !pending.updated.has(a)) pending.updated.set(a, previous)
  }
  for (const a of diff.added) {
    state.unassigned++
    pending.added.push(a)
  }
  if (diff.added.length + diff.removed.length > 0) changes.targetsChanged = true
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
  for (const [name, serving] of [...state.byCollector]) {
    if (live.has(name)) continue
    for (const pair of [...serving.byJob.values()]) {
      for (const a of [...pair.records]) {
        state.pending.orphaned.set(a, name)
        detach(state, a, changes)
      }
    }
    state.byCollector.delete(name)
  }
  for (const c of sorted) if (!state.byCollector.has(c.name)) state.byCollector.set(c.name, { tally: { total: 0 }, byJob: new Map() })
}

const isPending = (p: PendingState): boolean =>
  p.added.length > 0 || p.removed.length > 0 || p.updated.size > 0 || p.collectorsChanged

/** Lets the strategy place what changed since the last call. */
export const settle = (state: AllocationState, changes: Changes): void => {
  const pending = state.pending
  if (!isPending(pending)) return
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
    collectorsChanged: pending.collectorsChanged,
    orphaned: [...pending.orphaned.keys()]
  }
  state.placer.settle(view, batch, (a, to) => {
    const from = a.collector
    if (to === from) return
    const serving = to === undefined ? undefined : state.byCollector.get(to)
    if (to !== undefined && serving === undefined) return
    // A target removed in this batch may still be named by a placer's index; it is not ours to place.
    if (!a.live) return
    if (from !== undefined) detach(state, a, changes)
    if (to === undefined) return
    attach(state, a, to, serving!, changes)
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
