/**
 * The served targets of every job, one slot each: a slot stands for one identity of one job while it is served, and
 * is what the job's targets, the allocator, its strategies and the (job, collector) pairs pass around. What is
 * known of a slot is kept in columns indexed by it, by whoever owns that knowledge (here: the copies; the allocator:
 * the placement), so a served target costs no object of its own, no map entry and no boxed key: at a million
 * targets that was a few hundred megabytes of memory to fault in, and millions of objects for every full garbage
 * collection to visit.
 *
 * A slot let go is reused only after the allocator has settled the batch that let it go (`recycle`): until then a
 * strategy's index may still name it, and must not find another target there.
 *
 * Mutable, owned by the one fiber that runs the pipeline.
 */
import * as Marks from "../collections/marks.ts"
import * as Paged from "../collections/paged.ts"
import type { Target } from "./target.ts"

export interface Records {
  /**
   * Every copy discovered, the one served first; a lone copy is kept without an array; an empty array while an
   * update has removed every copy and not yet added one back; `undefined` once let go. Between updates, the copy
   * served is the one last reported to the allocator: what the collector is served. (A removal reports the copy
   * that was served, so no second column keeps it: at a million targets, that column was 8 MB of fresh V8 heap.)
   */
  readonly copies: Paged.Paged<Target | Array<Target> | undefined>
  /** The identity the slot stands for, within its job. */
  readonly id: Paged.Paged<number>
  /** The number of the last update that touched the slot (jobTargets.ts). */
  readonly touchedIn: Paged.Paged<number>
  /** The number of the last update. */
  updates: number
  /** Slots made so far: the columns may be longer. */
  size: number
  readonly free: Array<number>
  /** Let go since the allocator last settled. */
  readonly releasing: Array<number>
}

export const make = (): Records => ({
  copies: Paged.refs(),
  id: Paged.float64(),
  touchedIn: Paged.int32(),
  updates: 0,
  size: 0,
  free: [],
  releasing: []
})

/** A number for a new update, to mark the slots it touches with (collections/marks.ts). */
export const nextUpdate = (records: Records): number =>
  (records.updates = Marks.next(records.updates, () => records.touchedIn.fill(0)))

/** The slot `claim` will give next. */
export const next = (records: Records): number =>
  records.free.length > 0 ? records.free[records.free.length - 1]! : records.size

/** A slot for identity `id`, seen for the first time, serving `t`. */
export const claim = (records: Records, t: Target, id: number): number => {
  let slot = records.free.pop()
  if (slot === undefined) {
    slot = records.size++
    records.copies.reserve(records.size)
    records.id.reserve(records.size)
    records.touchedIn.reserve(records.size)
  }
  records.copies.set(slot, t)
  records.id.set(slot, id)
  return slot
}

/** The identity is gone: the slot is free once recycled. */
export const release = (records: Records, slot: number): void => {
  records.copies.set(slot, undefined)
  records.releasing.push(slot)
}

/** The slots let go become free: the allocator has settled them. */
export const recycle = (records: Records): void => {
  for (let i = 0; i < records.releasing.length; i++) records.free.push(records.releasing[i]!)
  records.releasing.length = 0
}

/** The copy a slot serves (the first of its copies), `undefined` for a slot let go. */
export const served = (records: Records, slot: number): Target | undefined => {
  const copies = records.copies.get(slot)
  return Array.isArray(copies) ? copies[0] : copies
}
