/**
 * What one collector is served of one job: the records placed there, and the target each serves at the same index,
 * which is what its HTTP_SD document publishes. A record knows its index (`at`), so joining and leaving cost no
 * search; the targets sit alongside so that publishing copies one array, not a read of every record (scattered in
 * memory: at a million targets, when every document changes, that read alone took 80 ms).
 *
 * Mutable, owned by the allocator.
 */
import type { Served, Target } from "../targets/target.ts"

/** A collector's count across its jobs, shared by its pairs. */
export interface Tally {
  total: number
}

export interface Pair {
  readonly job: string
  readonly collector: string
  readonly tally: Tally
  /** In no order: a record sits at its `at`. */
  readonly records: Array<Served>
  readonly targets: Array<Target>
  /** The batch (`Changes.batch`) that last listed it as changed. */
  changedIn: number
}

export const make = (job: string, collector: string, tally: Tally): Pair => ({
  job,
  collector,
  tally,
  records: [],
  targets: [],
  changedIn: 0
})

export const add = (pair: Pair, r: Served): void => {
  r.at = pair.records.push(r) - 1
  pair.targets.push(r.target)
  pair.tally.total++
}

/** Moves the last record into the hole: no search, no shifting. */
export const remove = (pair: Pair, r: Served): void => {
  const last = pair.records.pop()!
  const lastTarget = pair.targets.pop()!
  if (last !== r) {
    pair.records[r.at] = last
    pair.targets[r.at] = lastTarget
    last.at = r.at
  }
  r.at = -1
  pair.tally.total--
}

/** The record serves another copy (its labels changed): same place, new target. */
export const retarget = (pair: Pair, r: Served): void => {
  pair.targets[r.at] = r.target
}

export const size = (pair: Pair): number => pair.records.length
