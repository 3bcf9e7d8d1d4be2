/**
 * A target as the allocator sees it: discovered and kept by the job's filter. It is two references, its own labels
 * and its origin, shared with the other targets of its group; its address, group labels and source are read
 * through them. At a million targets, every reference more is 8 MB of heap to fault in during a first allocation,
 * and more to visit in every full garbage collection. Its identity and its job are not in it either, but in
 * columns by slot (records.ts, the allocator's).
 *
 * A class rather than an object literal, as measured: in the driver of a first allocation at a million targets
 * (bench/README.md), building the targets took 660-750 ms as class instances, against 840-900 ms as object
 * literals of the address, the origin and the labels, and 870-890 ms as literals of four fields before. (V8
 * allocates surviving literals directly in the old generation, class instances in the young one; why the first is
 * slower here was not measured.)
 */
import * as L from "../labels/labels.ts"

/** The group a target came from, shared by its targets. */
export interface Origin {
  /** The discovery source (provider and group). */
  readonly source: string
  /** The group's labels. */
  readonly labels: L.Labels
}

const ADDRESS = "__address__"

export class Target {
  readonly origin: Origin
  readonly targetLabels: L.Labels
  constructor(origin: Origin, targetLabels: L.Labels) {
    this.origin = origin
    this.targetLabels = targetLabels
  }
  /**
   * The discovered `__address__`: what consistent hashing keys on, so a target keeps its collector when only its
   * labels change. Read, not kept: it is the target's first label, in name order, but where a name sorts before it.
   */
  get address(): string {
    const own = this.targetLabels
    return own[0] === ADDRESS ? own[1]! : L.get(own, ADDRESS) ?? L.get(this.origin.labels, ADDRESS) ?? ""
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
