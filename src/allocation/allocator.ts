/**
 * The assignment of targets to collectors, updated incrementally: a target diff places only the targets it names,
 * a collector change re-places every target but moves only those whose collector changed. Every update records
 * which targets joined or left which (job, collector) pair, in order, so the served documents follow it change by
 * change.
 *
 * Mutable, owned by the one fiber that runs the pipeline.
 */
import { byName, type Collector } from "../membership/collector.ts"
import type { TargetDiff } from "../targets/jobTargets.ts"
import type { Target } from "../targets/target.ts"
import type { Loads, Placement, Strategy } from "./strategy.ts"

export interface Assigned {
  target: Target
  collector: string | undefined
}

export interface AllocationState {
  readonly strategy: Strategy
  collectors: ReadonlyArray<Collector>
  placement: Placement | undefined
  /** job → identity → assignment */
  readonly jobs: Map<string, Map<number, Assigned>>
  /** collector → job → count */
  readonly counts: Map<string, Map<string, number>>
  readonly totals: Map<string, number>
  unassigned: number
}

/** A target joining or leaving what a collector is served for its job. */
export interface MembershipChange {
  readonly collector: string
  readonly target: Target
  readonly joined: boolean
}

/** What an update touched. */
export interface Changes {
  /** job → collectors whose HTTP_SD response changed */
  readonly pairs: Map<string, Set<string>>
  /** In the order they happened: replaying them turns the previous served state into the current one. */
  readonly membership: Array<MembershipChange>
  /** Jobs that appeared or disappeared from the set of jobs with targets. */
  jobSetChanged: boolean
  collectorsChanged: boolean
  /** Targets whose collector changed from one live collector to another, or to one after having none. */
  moved: number
}

export const emptyChanges = (): Changes => ({ pairs: new Map(), membership: [], jobSetChanged: false, collectorsChanged: false, moved: 0 })

export const make = (strategy: Strategy): AllocationState => ({
  strategy,
  collectors: [],
  placement: undefined,
  jobs: new Map(),
  counts: new Map(),
  totals: new Map(),
  unassigned: 0
})

const loadsOf = (state: AllocationState): Loads => ({
  total: (c) => state.totals.get(c) ?? 0,
  ofJob: (c, job) => state.counts.get(c)?.get(job) ?? 0
})

const mark = (changes: Changes, collector: string, target: Target, joined: boolean): void => {
  let set = changes.pairs.get(target.job)
  if (set === undefined) changes.pairs.set(target.job, (set = new Set()))
  set.add(collector)
  changes.membership.push({ collector, target, joined })
}

const attach = (state: AllocationState, a: Assigned, collector: string | undefined, changes: Changes): void => {
  a.collector = collector
  if (collector === undefined) {
    state.unassigned++
    return
  }
  const job = a.target.job
  let perJob = state.counts.get(collector)
  if (perJob === undefined) state.counts.set(collector, (perJob = new Map()))
  perJob.set(job, (perJob.get(job) ?? 0) + 1)
  state.totals.set(collector, (state.totals.get(collector) ?? 0) + 1)
  mark(changes, collector, a.target, true)
}

const detach = (state: AllocationState, a: Assigned, changes: Changes): void => {
  const collector = a.collector
  a.collector = undefined
  if (collector === undefined) {
    state.unassigned--
    return
  }
  const job = a.target.job
  const perJob = state.counts.get(collector)!
  const n = perJob.get(job)! - 1
  if (n === 0) perJob.delete(job)
  else perJob.set(job, n)
  state.totals.set(collector, state.totals.get(collector)! - 1)
  mark(changes, collector, a.target, false)
}

/** Applies one job's target diff: removals leave, additions are placed, updates keep their collector. */
export const applyTargets = (state: AllocationState, job: string, diff: TargetDiff, changes: Changes): void => {
  let assigned = state.jobs.get(job)
  const hadTargets = assigned !== undefined && assigned.size > 0
  if (assigned === undefined) state.jobs.set(job, (assigned = new Map()))
  for (const t of diff.removed) {
    const a = assigned.get(t.id)
    if (a === undefined) continue
    detach(state, a, changes)
    assigned.delete(t.id)
  }
  for (const t of diff.updated) {
    const a = assigned.get(t.id)
    if (a === undefined) continue
    if (a.collector !== undefined) {
      mark(changes, a.collector, a.target, false)
      mark(changes, a.collector, t, true)
    }
    a.target = t
  }
  for (const t of diff.added) {
    const a: Assigned = { target: t, collector: undefined }
    assigned.set(t.id, a)
    state.unassigned++
    const to = state.placement?.place(t, undefined)
    if (to !== undefined) {
      state.unassigned--
      attach(state, a, to, changes)
    }
  }
  if (assigned.size === 0) state.jobs.delete(job)
  if (hadTargets !== assigned.size > 0) changes.jobSetChanged = true
}

/** Replaces the collector set and re-places every target; only targets whose collector changes move. */
export const setCollectors = (state: AllocationState, collectors: ReadonlyArray<Collector>, changes: Changes): void => {
  const sorted = [...collectors].sort(byName)
  const same = sorted.length === state.collectors.length &&
    sorted.every((c, i) => c.name === state.collectors[i]!.name && c.node === state.collectors[i]!.node)
  if (same) return
  changes.collectorsChanged = true
  state.collectors = sorted
  const live = new Set(sorted.map((c) => c.name))
  // Targets on departed collectors become unassigned first, so sticky strategies see only live placements.
  const previous = new Map<Assigned, string>()
  for (const assigned of state.jobs.values()) {
    for (const a of assigned.values()) {
      if (a.collector !== undefined && !live.has(a.collector)) {
        previous.set(a, a.collector)
        detach(state, a, changes)
        state.unassigned++
      }
    }
  }
  for (const gone of [...state.totals.keys()].filter((c) => !live.has(c))) {
    state.totals.delete(gone)
    state.counts.delete(gone)
  }
  state.placement = sorted.length === 0 ? undefined : state.strategy.placement(sorted, loadsOf(state))
  if (state.placement === undefined) return
  for (const assigned of state.jobs.values()) {
    for (const a of assigned.values()) {
      const from = a.collector
      const to = state.placement.place(a.target, from)
      if (to === from) continue
      if (from !== undefined) detach(state, a, changes)
      else state.unassigned--
      if (to === undefined) state.unassigned++
      else attach(state, a, to, changes)
      const was = from ?? previous.get(a)
      if (was !== undefined && to !== undefined) changes.moved++
    }
  }
}
