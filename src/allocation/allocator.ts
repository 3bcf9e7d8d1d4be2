/**
 * The assignment of targets to collectors, kept incrementally. Target diffs and collector changes are recorded as
 * they come; `settle` then lets the strategy place what changed, once per batch (a global strategy such as
 * consistent hashing with bounded loads computes once for a whole discovery update, not once per job). What each
 * collector serves of each job is kept as a `Pair`, changed move by move; a batch lists the pairs it changed, whose
 * documents are published again.
 *
 * Targets are slots of the shared `Records` (targets/records.ts); where each is placed is kept here, in columns
 * indexed by slot.
 *
 * Mutable, owned by the one fiber that runs the pipeline.
 */
import * as Paged from "../collections/paged.ts"
import * as SlotIndex from "../collections/slotIndex.ts"
import { byName, type Collector } from "../membership/collector.ts"
import type { TargetDiff } from "../targets/jobTargets.ts"
import * as Records from "../targets/records.ts"
import type { Target } from "../targets/target.ts"
import * as Pair from "./pair.ts"
import type { AllocationView, Move, Pending, Placer, Strategy } from "./strategy.ts"

/** The target is served: a placer's index may still name a slot let go in this batch, until it settles. */
const LIVE = 1
/** Added since the placer last settled: the placer has not seen it yet. */
const UNPLACED = 2

interface PendingState {
  /**
   * In the order added, as the diffs brought them (joined once, when settling); a target added and removed before
   * settling is never seen by the placer (`LIVE`).
   */
  added: Array<ReadonlyArray<number>>
  /** How many of `added` were removed since: most batches have none, and need no filtering. */
  addedGone: number
  readonly removed: Array<{ readonly slot: number; readonly target: Target }>
  /** The target as the placer last saw it, for each slot whose copy was replaced since. */
  readonly updated: Map<number, Target>
  collectorsChanged: boolean
  /** Targets unassigned because their collector left, with that collector: a later placement is a move. */
  readonly orphaned: Map<number, string>
}

export interface AllocationState {
  readonly strategy: Strategy
  readonly placer: Placer
  readonly records: Records.Records
  /** Sorted by name. */
  collectors: ReadonlyArray<Collector>
  /** job → its served slots: the job's own index (`JobTargets.ids`), read, never written. */
  readonly jobs: Map<string, SlotIndex.SlotIndex>
  /** Live collector → what it serves, by job. */
  readonly byCollector: Map<string, CollectorState>
  /**
   * Slot → the number of the pair serving it (`Pair.id`, its index in `pairs`) plus one; 0 while it has no
   * collector. A number rather than a reference: a typed column, where a million references were 8 MB of fresh V8
   * heap to fault in.
   */
  readonly pairOf: Paged.Paged<number>
  /** The live pairs by number; numbers of emptied pairs are reused. */
  readonly pairs: Array<Pair.Pair | undefined>
  readonly freePairs: Array<number>
  /** Slot → its index in its pair. */
  readonly at: Paged.Paged<number>
  /** Slot → `LIVE | UNPLACED`. */
  readonly flags: Paged.Paged<number>
  /** Slot → its job, as an index into `jobNames`. */
  readonly jobOf: Paged.Paged<number>
  /** Every job seen, in the order first seen: jobs are few, slots a million. */
  readonly jobNames: Array<string>
  unassigned: number
  readonly pending: PendingState
  /** Batches begun (`emptyChanges`). */
  batches: number
  /**
   * What the placer is given at each settle, made once: optimized code that calls a function specializes on it, and
   * a new closure per batch undid that (a deoptimization at each of the first batches, by `--trace-deopt`).
   */
  readonly view: AllocationView
  readonly move: Move
  /** The batch being settled, for `move`. */
  settling: Changes | undefined
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

/** `records`: the slots the jobs' targets keep, shared with them. */
export const make = (strategy: Strategy, records: Records.Records = Records.make()): AllocationState => {
  const state: AllocationState = {
    strategy,
    placer: strategy.makePlacer(),
    records,
    collectors: [],
    jobs: new Map(),
    byCollector: new Map(),
    pairOf: Paged.int32(),
    pairs: [],
    freePairs: [],
    at: Paged.int32(),
    flags: Paged.uint8(),
    jobOf: Paged.int32(),
    jobNames: [],
    unassigned: 0,
    pending: emptyPending(),
    batches: 0,
    view: {
      get collectors() {
        return state.collectors
      },
      loads: {
        total: (c) => totalOf(state, c),
        ofJob: (c, job) => state.byCollector.get(c)?.byJob.get(job)?.slots.length ?? 0
      },
      all: () => {
        const out: Array<number> = []
        for (const ids of state.jobs.values()) SlotIndex.forEach(ids, (slot) => out.push(slot))
        return out
      },
      targetOf: (slot) => Records.served(state.records, slot)!,
      jobOf: (slot) => jobOf(state, slot),
      collectorOf: (slot) => collectorOf(state, slot)
    },
    move: (slot, to) => moveTo(state, slot, to),
    settling: undefined
  }
  return state
}

/** Room in the columns for slots below `size`. */
const reserve = (state: AllocationState, size: number): void => {
  state.pairOf.reserve(size)
  state.at.reserve(size)
  state.flags.reserve(size)
  state.jobOf.reserve(size)
}

/** Targets on a collector, across jobs. */
export const totalOf = (state: AllocationState, collector: string): number => state.byCollector.get(collector)?.tally.total ?? 0

/** Where a target is, `undefined` for nowhere. */
export const collectorOf = (state: AllocationState, slot: number): string | undefined => pairAt(state, slot)?.collector

/** The pair serving a target, `undefined` for none. */
const pairAt = (state: AllocationState, slot: number): Pair.Pair | undefined => {
  const n = state.pairOf.get(slot)
  return n === 0 ? undefined : state.pairs[n - 1]
}

/** The job of a target. */
const jobOf = (state: AllocationState, slot: number): string => state.jobNames[state.jobOf.get(slot)]!

/** Targets served, across jobs. */
export const targetCount = (state: AllocationState): number => {
  let n = 0
  for (const ids of state.jobs.values()) n += ids.size
  return n
}

const changed = (changes: Changes, pair: Pair.Pair): void => {
  if (pair.changedIn === changes.batch) return
  pair.changedIn = changes.batch
  changes.changed.push(pair)
}

const attach = (state: AllocationState, slot: number, collector: string, serving: CollectorState, changes: Changes): void => {
  state.unassigned--
  const job = jobOf(state, slot)
  let pair = serving.byJob.get(job)
  if (pair === undefined) {
    pair = Pair.make(job, collector, serving.tally, state.freePairs.pop() ?? state.pairs.length)
    state.pairs[pair.id] = pair
    serving.byJob.set(job, pair)
  }
  Pair.add(pair, slot, Records.served(state.records, slot)!, state.at)
  state.pairOf.set(slot, pair.id + 1)
  changed(changes, pair)
}

const detach = (state: AllocationState, slot: number, changes: Changes): void => {
  const pair = pairAt(state, slot)
  if (pair === undefined) return
  state.pairOf.set(slot, 0)
  state.unassigned++
  Pair.remove(pair, slot, state.at)
  if (Pair.size(pair) === 0) {
    state.byCollector.get(pair.collector)!.byJob.delete(pair.job)
    state.pairs[pair.id] = undefined
    state.freePairs.push(pair.id)
  }
  changed(changes, pair)
}

/**
 * Applies one job's target diff: removals leave at once, additions and updates wait for `settle`. `ids` is the
 * job's index of its served slots after the diff, which the allocator reads from then on.
 */
export const applyTargets = (
  state: AllocationState,
  job: string,
  diff: TargetDiff,
  ids: SlotIndex.SlotIndex,
  changes: Changes
): void => {
  const hadTargets = state.jobs.has(job)
  const { pending, records } = state
  for (let i = 0; i < diff.removed.length; i++) {
    const { slot, target } = diff.removed[i]!
    detach(state, slot, changes)
    state.unassigned--
    const flags = state.flags.get(slot)
    state.flags.set(slot, flags & ~LIVE)
    pending.orphaned.delete(slot)
    if (flags & UNPLACED) {
      pending.addedGone++
      continue
    }
    pending.removed.push({ slot, target: pending.updated.get(slot) ?? target })
    pending.updated.delete(slot)
  }
  for (const { slot, previous } of diff.updated) {
    const pair = pairAt(state, slot)
    if (pair !== undefined) {
      Pair.retarget(pair, slot, Records.served(records, slot)!, state.at)
      changed(changes, pair)
    }
    if (!(state.flags.get(slot) & UNPLACED) && !pending.updated.has(slot)) pending.updated.set(slot, previous)
  }
  if (diff.added.length > 0) {
    reserve(state, records.size)
    pending.added.push(diff.added)
  }
  const jobIndex = diff.added.length > 0 ? indexOfJob(state, job) : -1
  for (let i = 0; i < diff.added.length; i++) {
    const slot = diff.added[i]!
    state.pairOf.set(slot, 0)
    state.at.set(slot, -1)
    state.flags.set(slot, LIVE | UNPLACED)
    state.jobOf.set(slot, jobIndex)
    state.unassigned++
  }
  if (diff.added.length + diff.removed.length > 0) changes.targetsChanged = true
  if (ids.size === 0) state.jobs.delete(job)
  else state.jobs.set(job, ids)
  if (hadTargets !== ids.size > 0) changes.jobSetChanged = true
}

const indexOfJob = (state: AllocationState, job: string): number => {
  const known = state.jobNames.indexOf(job)
  return known >= 0 ? known : state.jobNames.push(job) - 1
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
      for (const slot of [...pair.slots]) {
        state.pending.orphaned.set(slot, name)
        detach(state, slot, changes)
      }
    }
    state.byCollector.delete(name)
  }
  for (const c of sorted) if (!state.byCollector.has(c.name)) state.byCollector.set(c.name, { tally: { total: 0 }, byJob: new Map() })
}

/**
 * The slots added, joined into one typed array (the placers index them), without those removed since: at a million
 * targets, a typed array is a fifth of the fresh V8 heap an array of numbers would be, and fresh memory is most of
 * what a first batch costs (page faults).
 */
const addedOf = (state: AllocationState): Int32Array => {
  const { pending, flags } = state
  let size = 0
  for (const chunk of pending.added) size += chunk.length
  const out = new Int32Array(size)
  let n = 0
  for (const chunk of pending.added) {
    if (pending.addedGone === 0) {
      out.set(chunk, n)
      n += chunk.length
      continue
    }
    for (let i = 0; i < chunk.length; i++) if (flags.get(chunk[i]!) & LIVE) out[n++] = chunk[i]!
  }
  return n === size ? out : out.subarray(0, n)
}

const isPending = (p: PendingState): boolean =>
  p.added.length > 0 || p.removed.length > 0 || p.updated.size > 0 || p.collectorsChanged

/** Lets the strategy place what changed since the last call; the slots let go in the batch are free after it. */
export const settle = (state: AllocationState, changes: Changes): void => {
  const pending = state.pending
  if (isPending(pending)) place(state, pending, changes)
  Records.recycle(state.records)
}

/** The placer sends `slot` to collector `to`. */
const moveTo = (state: AllocationState, slot: number, to: string | undefined): void => {
  // A target removed in this batch may still be named by a placer's index; it is not ours to place.
  if (!(state.flags.get(slot) & LIVE)) return
  const from = collectorOf(state, slot)
  if (to === from) return
  const serving = to === undefined ? undefined : state.byCollector.get(to)
  if (to !== undefined && serving === undefined) return
  const changes = state.settling!
  if (from !== undefined) detach(state, slot, changes)
  if (to === undefined) return
  attach(state, slot, to, serving!, changes)
  const was = from ?? state.pending.orphaned.get(slot)
  if (was !== undefined && was !== to) changes.moved++
}

const place = (state: AllocationState, pending: PendingState, changes: Changes): void => {
  const added = addedOf(state)
  const batch: Pending = {
    added,
    removed: pending.removed,
    updated: [...pending.updated].map(([slot, previous]) => ({ slot, previous })),
    collectorsChanged: pending.collectorsChanged,
    orphaned: [...pending.orphaned.keys()]
  }
  state.settling = changes
  state.placer.settle(state.view, batch, state.move)
  state.settling = undefined
  for (let i = 0; i < added.length; i++) state.flags.set(added[i]!, state.flags.get(added[i]!) & ~UNPLACED)
  pending.added = []
  pending.addedGone = 0
  pending.removed.length = 0
  pending.updated.clear()
  pending.collectorsChanged = false
  pending.orphaned.clear()
}
