/**
 * The target-group documents of `file_sd` and `http_sd`: a list of `{"targets": [...], "labels": {...}}`, read as
 * Prometheus reads them (unknown keys refused, a null entry refused, label names and values checked), each group
 * named by the document and its index, with the mechanism's own label added.
 */
import * as L from "../labels/labels.ts"
import { isValidLabelName, isValidLabelValue } from "../labels/names.ts"
import type { TargetGroup } from "./targetGroup.ts"

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** The groups of a parsed document, or what is wrong with it. */
export const parseGroupsDocument = (
  doc: unknown,
  source: (index: number) => string,
  extra: readonly [name: string, value: string]
): ReadonlyArray<TargetGroup> | string => {
  if (!Array.isArray(doc)) return "expected a list of target groups"
  const groups: Array<TargetGroup> = new Array(doc.length)
  // Plain loops over the document, making nothing per label but the group's label set: a file may list a hundred
  // thousand targets, and this runs again at every refresh.
  for (let i = 0; i < doc.length; i++) {
    const g: unknown = doc[i]
    if (g === null || g === undefined) return "nil target group item found"
    if (!isRecord(g)) return `target group ${i}: expected a mapping with targets and labels`
    for (const key of Object.keys(g)) if (key !== "targets" && key !== "labels") return `target group ${i}: unknown field ${JSON.stringify(key)}`
    const targets = g["targets"] ?? []
    if (!Array.isArray(targets)) return `target group ${i}: targets must be a list of strings`
    const targetLabels: Array<L.Labels> = new Array(targets.length)
    for (let t = 0; t < targets.length; t++) {
      const address: unknown = targets[t]
      if (typeof address !== "string") return `target group ${i}: targets must be a list of strings`
      targetLabels[t] = L.single("__address__", address)
    }
    const labels = g["labels"] ?? {}
    if (!isRecord(labels)) return `target group ${i}: labels must be a mapping`
    const names = Object.keys(labels)
    for (const name of names) {
      const value = labels[name]
      if (typeof value !== "string") return `target group ${i}: label ${JSON.stringify(name)} must have a string value`
      if (!isValidLabelName(name)) return `target group ${i}: ${JSON.stringify(name)} is not a valid label name`
      if (!isValidLabelValue(value)) return `target group ${i}: ${JSON.stringify(value)} is not a valid label value`
    }
    groups[i] = { source: source(i), labels: groupLabels(labels as Record<string, string>, names, extra), targets: targetLabels }
  }
  return groups
}

/** A group's labels: the document's without empty values, and the mechanism's own label over one of the same name. */
const groupLabels = (labels: Readonly<Record<string, string>>, names: ReadonlyArray<string>, extra: readonly [string, string]): L.Labels => {
  const kept = names.filter((n) => labels[n] !== "" && n !== extra[0])
  if (extra[1] !== "") kept.push(extra[0])
  kept.sort()
  const flat: Array<string> = new Array(2 * kept.length)
  for (let k = 0; k < kept.length; k++) {
    flat[2 * k] = kept[k]!
    flat[2 * k + 1] = kept[k] === extra[0] ? extra[1] : labels[kept[k]!]!
  }
  return L.unsafeFromSorted(flat)
}

/** Empty groups for the indexes a document no longer has, so their targets go away. */
export const vanished = (source: (index: number) => string, now: number, before: number): ReadonlyArray<TargetGroup> =>
  Array.from({ length: Math.max(0, before - now) }, (_, k) => ({ source: source(now + k), labels: L.empty, targets: [] }))
