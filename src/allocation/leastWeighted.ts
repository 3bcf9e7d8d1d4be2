/**
 * `least-weighted`, as upstream: a target keeps its collector while that collector lives; a new or orphaned target
 * goes to the collector with the fewest targets, ties to the fewest targets of the same job, then to the smallest
 * name. New collectors get only new or orphaned targets. Deterministic given the order of changes (upstream's
 * depends on Go's map order).
 */
import type { AllocationView, Placer, Strategy } from "./strategy.ts"

export const leastLoaded = (view: AllocationView, job: string): string | undefined => {
  let best: string | undefined
  let bestTotal = Infinity
  let bestOfJob = Infinity
  // Collectors are sorted by name, so the first of equals is the smallest name.
  for (const { name } of view.collectors) {
    const total = view.loads.total(name)
    if (total > bestTotal) continue
    const ofJob = view.loads.ofJob(name, job)
    if (total < bestTotal || ofJob < bestOfJob) {
      best = name
      bestTotal = total
      bestOfJob = ofJob
    }
  }
  return best
}

const makePlacer = (): Placer => ({
  settle: (view, pending, move) => {
    if (view.collectors.length === 0) return
    const waiting: Iterable<number> = pending.collectorsChanged ? view.all() : pending.added
    for (const slot of waiting) if (view.collectorOf(slot) === undefined) move(slot, leastLoaded(view, view.jobOf(slot)))
  }
})

export const leastWeighted: Strategy = { name: "least-weighted", makePlacer }
