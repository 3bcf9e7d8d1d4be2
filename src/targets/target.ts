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
