/**
 * A label set: names sorted ascending and unique, stored flat as `[name0, value0, name1, value1, ...]`.
 *
 * Flat arrays keep a million targets cheap: no per-label objects, no hidden-class explosion from the endless
 * variety of Kubernetes label names, and ordered iteration for hashing and rendering without sorting again.
 * Names sort by UTF-16 code units (JavaScript's `<`); Go sorts by UTF-8 bytes, which differs only between
 * supplementary characters and U+E000..U+FFFF, and nothing here depends on matching Go's order.
 */
declare const LabelsBrand: unique symbol
export type Labels = ReadonlyArray<string> & { readonly [LabelsBrand]: true }

export const empty = [] as unknown as Labels

/** From pairs already sorted by name, unique, without empty values: for hot paths whose names are fixed. */
export const unsafeFromSorted = (flat: ReadonlyArray<string>): Labels => flat as Labels
const unsafeMake = unsafeFromSorted

/** From a record; empty values are dropped, as Prometheus treats an empty label as absent. */
export const fromRecord = (record: Readonly<Record<string, string>>): Labels => {
  const names = Object.keys(record).filter((n) => record[n] !== "").sort()
  const flat: Array<string> = new Array(names.length * 2)
  for (let i = 0; i < names.length; i++) {
    flat[2 * i] = names[i]!
    flat[2 * i + 1] = record[names[i]!]!
  }
  return unsafeMake(flat)
}

/** One label, or none when the value is empty: `fromRecord({ [name]: value })` without the record. */
export const single = (name: string, value: string): Labels => (value === "" ? empty : unsafeMake([name, value]))

export const toRecord = (labels: ReadonlyArray<string>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (let i = 0; i < labels.length; i += 2) out[labels[i]!] = labels[i + 1]!
  return out
}

/** The index (even) of the first name not before `name`: a binary search over the even slots. */
export const lowerBound = (labels: Labels, name: string): number => {
  let lo = 0
  let hi = labels.length >> 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (labels[2 * mid]! < name) lo = mid + 1
    else hi = mid
  }
  return 2 * lo
}

export const get = (labels: Labels, name: string): string | undefined => {
  const at = lowerBound(labels, name)
  return labels[at] === name ? labels[at + 1] : undefined
}

/** Both inputs sorted; on a clash `override` wins (a target's labels over its group's). Linear. */
export const merge = (base: Labels, override: Labels): Labels => {
  if (base.length === 0) return override
  if (override.length === 0) return base
  const out: Array<string> = []
  forEachMerged(base, override, (name, value) => out.push(name, value))
  return unsafeMake(out)
}

/** The labels `merge` would make, in name order, without making them (to write them out, say). */
export const forEachMerged = (base: Labels, override: Labels, f: (name: string, value: string) => void): void => {
  let i = 0
  let j = 0
  while (i < base.length || j < override.length) {
    if (j === override.length || (i < base.length && base[i]! < override[j]!)) {
      f(base[i]!, base[i + 1]!)
      i += 2
    } else {
      if (i < base.length && base[i] === override[j]) i += 2
      f(override[j]!, override[j + 1]!)
      j += 2
    }
  }
}

/** Flat `[name, value, ...]` arrays with the same pairs in the same order (sorted `Labels`, say). */
export const equals = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
