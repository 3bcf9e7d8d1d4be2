/**
 * The allocation strategy interface. A strategy is a factory of placers; a placer may keep indexes of its own, and
 * is told, once per batch of changes, what changed. It answers with moves: which target goes where. Targets are
 * slots (targets/records.ts): the view tells what each serves and where it is.
 */
import type { AllocationStrategy } from "../config/targetAllocator.ts"
import type { Collector } from "../membership/collector.ts"
import type { Target } from "../targets/target.ts"

export interface Loads {
  /** Targets on a collector, across jobs. */
  readonly total: (collector: string) => number
  /** Targets of one job on a collector. */
  readonly ofJob: (collector: string, job: string) => number
}

/** What changed since the placer last settled. */
export interface Pending {
  /** New targets, not yet placed. */
  readonly added: Int32Array
  /** Targets gone (no longer assigned), each with the copy the placer last saw. */
  readonly removed: ReadonlyArray<{ readonly slot: number; readonly target: Target }>
  /** Targets whose copy was replaced (same identity, new labels): `previous` is what the placer saw before. */
  readonly updated: ReadonlyArray<{ readonly slot: number; readonly previous: Target }>
  /** The collector set changed: targets of departed collectors are already unassigned. */
  readonly collectorsChanged: boolean
  /**
   * Targets unassigned because their collector left: each needs a collector again, even where the placer's own
   * index says it has one (its collector may have left and come back within the batch).
   */
  readonly orphaned: ReadonlyArray<number>
}

export interface AllocationView {
  /** Live collectors, sorted by name. */
  readonly collectors: ReadonlyArray<Collector>
  readonly loads: Loads
  /** Every target, in a fixed order (by job as first seen, then in the job's index order). */
  readonly all: () => Iterable<number>
  /** The copy a target serves. */
  readonly targetOf: (slot: number) => Target
  /** The job of a target. */
  readonly jobOf: (slot: number) => string
  /** Where a target is, `undefined` for nowhere. */
  readonly collectorOf: (slot: number) => string | undefined
}

/** Sends a target to `collector` (`undefined`: unassigns it). */
export type Move = (slot: number, collector: string | undefined) => void

export interface Placer {
  readonly settle: (view: AllocationView, pending: Pending, move: Move) => void
}

export interface Strategy {
  readonly name: AllocationStrategy
  readonly makePlacer: () => Placer
}
