/**
 * A target as the allocator sees it: discovered and kept by the job's filter. Its identity and its job are not in
 * it but in columns by slot (records.ts, the allocator's): at a million targets, an object of four references is
 * 56 bytes, where a job and a 53-bit identity (a boxed double) made it 88, and the difference was paid again in
 * page faults and in every full garbage collection.
 */
import * as L from "../labels/labels.ts"

export interface Target {
  /** The discovered `__address__`: what consistent hashing keys on, so a target keeps its collector when only its labels change. */
  readonly address: string
  /**
   * The served labels are the pre-relabel labels (`__meta_*` included) that collectors relabel themselves: the
   * group's, overridden by the target's own. They are kept as the two arrays discovery made, not merged: the
   * group's are shared by its targets, and a merged copy per target would be most of a million targets' memory.
   */
  readonly groupLabels: L.Labels
  readonly targetLabels: L.Labels
  /** The discovery source (provider and group) the target came from. */
  readonly source: string
}

export const make = (source: string, groupLabels: L.Labels, targetLabels: L.Labels): Target => ({
  address: L.get(targetLabels, "__address__") ?? L.get(groupLabels, "__address__") ?? "",
  groupLabels,
  targetLabels,
  source
})

/** A served label's value. */
export const labelOf = (t: Target, name: string): string | undefined => L.get(t.targetLabels, name) ?? L.get(t.groupLabels, name)

/** The served labels, merged. */
export const labelsOf = (t: Target): L.Labels => L.merge(t.groupLabels, t.targetLabels)

/** Whether two targets serve the same labels. */
export const sameLabels = (a: Target, b: Target): boolean =>
  (L.equals(a.groupLabels, b.groupLabels) && L.equals(a.targetLabels, b.targetLabels)) || L.equals(labelsOf(a), labelsOf(b))

/**
 * The order of a document's targets: by address, then by served labels. Two targets of one job with the same
 * labels are one identity, so this orders any document's targets totally, and the same way in every replica.
 */
export const compare = (a: Target, b: Target): number => {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1
  if (a === b) return 0
  const x = labelsOf(a)
  const y = labelsOf(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1
  return x.length - y.length
}
