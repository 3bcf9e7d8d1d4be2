/** A target as the allocator sees it: discovered, kept by the job's filter, identified within its job. */
import * as L from "../labels/labels.ts"

export interface Target {
  readonly job: string
  /** The discovered `__address__`: what consistent hashing keys on, so a target keeps its collector when only its labels change. */
  readonly address: string
  /**
   * The served labels are the pre-relabel labels (`__meta_*` included) that collectors relabel themselves: the
   * group's, overridden by the target's own. They are kept as the two arrays discovery made, not merged: the
   * group's are shared by its targets, and a merged copy per target would be most of a million targets' memory.
   */
  readonly groupLabels: L.Labels
  readonly targetLabels: L.Labels
  /** Identity within the job: equal identities are one target, served once. */
  readonly id: number
  /** The discovery source (provider and group) the target came from. */
  readonly source: string
}

/** A served label's value. */
export const labelOf = (t: Target, name: string): string | undefined => L.get(t.targetLabels, name) ?? L.get(t.groupLabels, name)

/** The served labels, merged. */
export const labelsOf = (t: Target): L.Labels => L.merge(t.groupLabels, t.targetLabels)

/** Whether two targets serve the same labels. */
export const sameLabels = (a: Target, b: Target): boolean =>
  (L.equals(a.groupLabels, b.groupLabels) && L.equals(a.targetLabels, b.targetLabels)) || L.equals(labelsOf(a), labelsOf(b))

/**
 * One identity of a job as served: the copy served, every copy discovered, and where the allocator placed it. One
 * record per served target, shared by the job's targets (which own `copies`) and the allocator (which owns the
 * rest), so a target costs one record and one map entry, not one of each per stage: at a million targets, that is
 * a few hundred megabytes of memory to fault in.
 */
export interface Served {
  /** The copy last reported to the allocator: what the collector is served. */
  target: Target
  /** Every copy, the one to serve first; a lone copy is kept without an array; none between updates. */
  copies: Target | Array<Target>
  collector: string | undefined
  /** False once the identity is gone: a placer's index may still name it until it settles. */
  live: boolean
  /** Added since the placer last settled: the placer has not seen it yet. */
  unplaced: boolean
  /** Its index in its (job, collector) pair (allocation/pair.ts), -1 while it has no collector. */
  at: number
}

/** A record for an identity seen for the first time. */
export const served = (t: Target): Served => ({ target: t, copies: t, collector: undefined, live: true, unplaced: true, at: -1 })
