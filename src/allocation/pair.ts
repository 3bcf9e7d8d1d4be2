/**
 * What one collector is served of one job: the slots placed there (records.ts), and the target each serves at the
 * same index, which is what its HTTP_SD document publishes. A slot's index in its pair is kept in the allocator's
 * `at` column, so joining and leaving cost no search; the targets sit alongside so that publishing copies one
 * array, not a read of every slot's target (scattered in memory: at a million targets, when every document changes,
 * that read alone took 80 ms).
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
  readonly job: string
  readonly collector: string
  readonly tally: Tally
  /** In no order: a slot sits at its `at`. */
  readonly slots: Array<number>
  readonly targets: Array<Target>
  /** The batch (`Changes.batch`) that last listed it as changed. */
  changedIn: number
}

export const make = (job: string, collector: string, tally: Tally): Pair => ({
  job,
  collector,
  tally,
  slots: [],
  targets: [],
  changedIn: 0
})

export const add = (pair: Pair, slot: number, target: Target, at: Paged<number>): void => {
  at.set(slot, pair.slots.push(slot) - 1)
  pair.targets.push(target)
  pair.tally.total++
}

/** Moves the last slot into the hole: no search, no shifting. */
export const remove = (pair: Pair, slot: number, at: Paged<number>): void => {
  const last = pair.slots.pop()!
  const lastTarget = pair.targets.pop()!
  const hole = at.get(slot)
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
  pair.targets[at.get(slot)] = target
}

export const size = (pair: Pair): number => pair.slots.length
