/**
 * The assignment of targets to collectors, updated incrementally: a target diff places only the targets it names,
 * a collector change re-places every target but moves only those whose collector changed. Every update records
 * which (job, collector) pairs changed, so only their HTTP_SD bytes are rendered again.
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
  /** job → collector → identities: what each HTTP_SD response holds. */
  readonly members: Map<string, Map<string, Set<number>>>
  /** collector → job → count */
  readonly counts: Map<string, Map<string, number>>
  readonly totals: Map<string, number>
  unassigned: number
}

/** What an update touched. */
export interface Changes {
  /** job → collectors whose HTTP_SD response changed */
  readonly pairs: Map<string, Set<string>>
  /** Jobs that appeared or disappeared from the set of jobs with targets. */
  jobSetChanged: boolean
  collectorsChanged: boolean
  /** Targets whose collector changed from one live collector to another, or to one after having none. */
  moved: number
}

export const emptyChanges = (): Changes => ({ pairs: new Map(), jobSetChanged: false, collectorsChanged: false, moved: 0 })

export const make = (strategy: Strategy): AllocationState => ({
  strategy,
  collectors: [],
  placement: undefined,
  jobs: new Map(),
  members: new Map(),
  counts: new Map(),
  totals: new Map(),
  unassigned: 0
})

const loadsOf = (state: AllocationState): Loads => ({
  total: (c) => state.totals.get(c) ?? 0,
  ofJob: (c, job) => state.counts.get(c)?.get(job) ?? 0
})

const mark = (changes: Changes, job: string, collector: string): void => {
  let set = changes.pairs.get(job)
  if (set === undefined) changes.pairs.set(job, (set = new Set()))
  set.add(collector)
}

const attach = (state: AllocationState, a: Assigned, collector: string | undefined, changes: Changes): void => {
  a.collector = collector
  if (collector === undefined) {
    state.unassigned++
    return
  }
  const job = a.target.job
  let byCollector = state.members.get(job)
  if (byCollector === undefined) state.members.set(job, (byCollector = new Map()))
  let ids = byCollector.get(collector)
  if (ids === undefined) byCollector.set(collector, (ids = new Set()))
  ids.add(a.target.id)
  let perJob = state.counts.get(collector)
  if (perJob === undefined) state.counts.set(collector, (perJob = new Map()))
  perJob.set(job, (perJob.get(job) ?? 0) + 1)
  state.totals.set(collector, (state.totals.get(collector) ?? 0) + 1)
  mark(changes, job, collector)
}

const detach = (state: AllocationState, a: Assigned, changes: Changes): void => {
  const collector = a.collector
  a.collector = undefined
  if (collector === undefined) {
    state.unassigned--
    return
  }
  const job = a.target.job
  const byCollector = state.members.get(job)!
  const ids = byCollector.get(collector)!
  ids.delete(a.target.id)
  if (ids.size === 0) byCollector.delete(collector)
  if (byCollector.size === 0) state.members.delete(job)
  const perJob = state.counts.get(collector)!
  const n = perJob.get(job)! - 1
  if (n === 0) perJob.delete(job)
  else perJob.set(job, n)
  state.totals.set(collector, state.totals.get(collector)! - 1)
  mark(changes, job, collector)
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
    a.target = t
    if (a.collector !== undefined) mark(changes, job, a.collector)
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

/** The identities of one job on one collector. */
export const targetsOf = (state: AllocationState, job: string, collector: string): ReadonlyArray<Target> => {
  const ids = state.members.get(job)?.get(collector)
  if (ids === undefined) return []
  const assigned = state.jobs.get(job)!
  const out: Array<Target> = []
  for (const id of ids) out.push(assigned.get(id)!.target)
  return out
}
