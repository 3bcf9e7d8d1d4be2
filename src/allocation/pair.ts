/**
 * What one collector is served of one job: the slots placed there (records.ts), and the target each serves at the
 * same index, which is what its HTTP_SD document publishes. A slot's index in its pair is kept in the allocator's
 * `at` column, so joining and leaving cost no search; the targets sit alongside so that publishing takes one
 * array, not a read of every slot's target (scattered in memory: at a million targets, when every document changes,
 * that read alone took 80 ms).
 *
 * A document is published as the targets last published whole (`base`, shared and never changed) with what joined
 * and left since, until those changes pass an eighth of it: an update that touches every document by a few
 * targets then copies a few targets per document, not every document (at a million targets, 8 MB per update that
 * all survived into the old generation: three quarters of what an update allocated). A document published whole
 * shares the pair's array of targets, which is copied when it next changes, if ever: a first allocation publishes
 * every document whole, and at a million targets a copy of each was 8 MB of fresh V8 heap to fault in.
 *
 * Mutable, owned by the allocator.
 */
import type { Paged } from "../collections/paged.ts"
import type { Target } from "../targets/target.ts"

/** A collector's count across its jobs, shared by its pairs. */
export interface Tally {
  total: number
}

export interface Pair {
  /** Its number in the allocator's table of pairs (allocator.ts). */
  readonly id: number
  readonly job: string
  readonly collector: string
  readonly tally: Tally
  /** In no order: a slot sits at its `at`. */
  readonly slots: Array<number>
  targets: Array<Target>
  /** `targets` is `base` too: it is copied before it changes. */
  shared: boolean
  /** The targets as last published whole: shared by the documents published since, never changed. */
  base: ReadonlyArray<Target>
  /**
   * What joined and left since `base`, as logs: a target that joins and leaves is in both, and the document is
   * `base` and `joined` without one occurrence per entry of `gone` (a push per change, where sets cost a lookup).
   */
  readonly joined: Array<Target>
  readonly gone: Array<Target>
  /** The changes outgrew `base` (or there is none yet): not followed, the next document is published whole. */
  whole: boolean
  /** The batch (`Changes.batch`) that last listed it as changed. */
  changedIn: number
}

/** A document's targets: `base` and `joined`, without one occurrence of each entry of `gone`. */
export interface Published {
  readonly base: ReadonlyArray<Target>
  readonly gone: ReadonlyArray<Target>
  readonly joined: ReadonlyArray<Target>
}

export const make = (job: string, collector: string, tally: Tally, id: number): Pair => ({
  id,
  job,
  collector,
  tally,
  slots: [],
  targets: [],
  shared: false,
  base: [],
  joined: [],
  gone: [],
  whole: true,
  changedIn: 0
})

/** Past an eighth of the base, changes cost more to follow (and to apply when rendering) than a copy. */
const log = (pair: Pair, into: Array<Target>, t: Target): void => {
  if (pair.whole) return
  into.push(t)
  if ((pair.joined.length + pair.gone.length) * 8 <= pair.base.length) return
  pair.whole = true
  pair.joined.length = 0
  pair.gone.length = 0
}

const joins = (pair: Pair, t: Target): void => log(pair, pair.joined, t)

const leaves = (pair: Pair, t: Target): void => log(pair, pair.gone, t)

/** Before `targets` changes: a copy, if a document shares it. */
const own = (pair: Pair): void => {
  if (!pair.shared) return
  pair.targets = pair.targets.slice()
  pair.shared = false
}

export const add = (pair: Pair, slot: number, target: Target, at: Paged<number>): void => {
  own(pair)
  at.set(slot, pair.slots.push(slot) - 1)
  pair.targets.push(target)
  joins(pair, target)
  pair.tally.total++
}

/** Moves the last slot into the hole: no search, no shifting. */
export const remove = (pair: Pair, slot: number, at: Paged<number>): void => {
  own(pair)
  const last = pair.slots.pop()!
  const lastTarget = pair.targets.pop()!
  const hole = at.get(slot)
  leaves(pair, last === slot ? lastTarget : pair.targets[hole]!)
  if (last !== slot) {
    pair.slots[hole] = last
    pair.targets[hole] = lastTarget
    at.set(last, hole)
  }
  at.set(slot, -1)
  pair.tally.total--
}

/** The slot serves another copy (its labels changed): same place, new target. */
export const retarget = (pair: Pair, slot: number, target: Target, at: Paged<number>): void => {
  own(pair)
  leaves(pair, pair.targets[at.get(slot)]!)
  joins(pair, target)
  pair.targets[at.get(slot)] = target
}

const NONE: ReadonlyArray<Target> = Object.freeze([])

/** What to publish of the pair now: its changes since its base, or the whole of it as a new base. */
export const published = (pair: Pair): Published => {
  if (pair.whole) {
    pair.base = pair.targets
    pair.shared = true
    pair.whole = false
    return { base: pair.base, gone: NONE, joined: NONE }
  }
  return { base: pair.base, gone: pair.gone.slice(), joined: pair.joined.slice() }
}

export const size = (pair: Pair): number => pair.slots.length
