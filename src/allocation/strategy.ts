/**
 * The allocation strategy interface. A strategy sees the live collectors and the current loads, and places one
 * target at a time, knowing where the target is now (sticky strategies keep it there).
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

export interface Placement {
  /** The collector for `target`; `undefined` leaves it unassigned. */
  readonly place: (target: Target, current: string | undefined) => string | undefined
}

export interface Strategy {
  readonly name: AllocationStrategy
  /** Prepares placement over a collector set (non-empty). Called again whenever the set changes. */
  readonly placement: (collectors: ReadonlyArray<Collector>, loads: Loads) => Placement
}
