/**
 * A target as the allocator sees it: discovered and kept by the job's filter. It is three references, its address,
 * its own labels and its origin, which the targets of its group share; its group's labels and its source are read
 * through the origin. At a million targets, each reference is 8 MB of heap to fault in during a first allocation.
 * Its identity and its job are not in it either, but in columns by slot (records.ts, the allocator's).
 *
 * A class, not an object literal, as measured in the driver of a first allocation at a million targets, runs
 * interleaved (bench/README.md): building the targets took 740-860 ms as class instances against 840-1020 ms as
 * object literals (V8 makes a literal's surviving objects in the old generation, a class's in the young one).
 */
import * as L from "../labels/labels.ts"

/** The group a target came from, shared by its targets. */
export interface Origin {
  /** The discovery source (provider and group). */
  readonly source: string
  /** The group's labels. */
  readonly labels: L.Labels
}

export class Target {
  /**
   * The discovered `__address__`: what consistent hashing keys on, so a target keeps its collector when only its
   * labels change. Kept, though the labels have it: documents are sorted by it, and reading it from the labels
   * there, scattered in memory, made rendering every document slower (polls of all of them: 6.0-6.8 s against
   * 5.9 s).
   */
  readonly address: string
  readonly origin: Origin
  readonly targetLabels: L.Labels
  constructor(origin: Origin, targetLabels: L.Labels) {
    this.address = L.get(targetLabels, "__address__") ?? L.get(origin.labels, "__address__") ?? ""
    this.origin = origin
    this.targetLabels = targetLabels
  }
  /**
   * The served labels are the pre-relabel labels (`__meta_*` included) that collectors relabel themselves: the
   * group's, overridden by the target's own. They are kept as the two arrays discovery made, not merged: the
   * group's are shared by its targets, and a merged copy per target would be most of a million targets' memory.
   */
  get groupLabels(): L.Labels {
    return this.origin.labels
  }
  get source(): string {
    return this.origin.source
  }
}

export const make = (source: string, groupLabels: L.Labels, targetLabels: L.Labels): Target =>
  new Target({ source, labels: groupLabels }, targetLabels)

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
