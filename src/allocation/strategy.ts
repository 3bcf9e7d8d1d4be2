/**
 * The allocation strategy interface. A strategy is a factory of placers; a placer may keep indexes of its own, and
 * is told, once per batch of changes, what changed. It answers with moves: which assignment goes where.
 */
import type { AllocationStrategy } from "../config/targetAllocator.ts"
import type { Collector } from "../membership/collector.ts"
import type { Served, Target } from "../targets/target.ts"

/** A target and the collector serving it (`undefined`: none): the job's record of it. */
export type Assigned = Served

export interface Loads {
  /** Targets on a collector, across jobs. */
  readonly total: (collector: string) => number
  /** Targets of one job on a collector. */
  readonly ofJob: (collector: string, job: string) => number
}

/** What changed since the placer last settled. */
export interface Pending {
  /** New targets, not yet placed. */
  readonly added: ReadonlyArray<Assigned>
  /** Targets gone (no longer assigned). */
  readonly removed: ReadonlyArray<Target>
  /** Targets whose object was replaced (same identity, new labels): `previous` is what the placer saw before. */
  readonly updated: ReadonlyArray<{ readonly assigned: Assigned; readonly previous: Target }>
  /** The collector set changed: targets of departed collectors are already unassigned. */
  readonly collectorsChanged: boolean
  /**
   * Targets unassigned because their collector left: each needs a collector again, even where the placer's own
   * index says it has one (its collector may have left and come back within the batch).
   */
  readonly orphaned: ReadonlyArray<Assigned>
}

export interface AllocationView {
  /** Live collectors, sorted by name. */
  readonly collectors: ReadonlyArray<Collector>
  readonly loads: Loads
  /** Every target, in a fixed order (by job as first seen, then by identity as first seen). */
  readonly all: () => Iterable<Assigned>
}

/** Sends `assigned` to `collector` (`undefined`: unassigns it). */
export type Move = (assigned: Assigned, collector: string | undefined) => void

export interface Placer {
  readonly settle: (view: AllocationView, pending: Pending, move: Move) => void
}

export interface Strategy {
  readonly name: AllocationStrategy
  readonly makePlacer: () => Placer
}
