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
  const groups: Array<TargetGroup> = []
  for (const [i, g] of doc.entries()) {
    if (g === null || g === undefined) return "nil target group item found"
    if (!isRecord(g)) return `target group ${i}: expected a mapping with targets and labels`
    const unknown = Object.keys(g).find((k) => k !== "targets" && k !== "labels")
    if (unknown !== undefined) return `target group ${i}: unknown field ${JSON.stringify(unknown)}`
    const targets = g["targets"] ?? []
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== "string")) return `target group ${i}: targets must be a list of strings`
    const labels = g["labels"] ?? {}
    if (!isRecord(labels)) return `target group ${i}: labels must be a mapping`
    const record: Record<string, string> = {}
    for (const [name, value] of Object.entries(labels)) {
      if (typeof value !== "string") return `target group ${i}: label ${JSON.stringify(name)} must have a string value`
      if (!isValidLabelName(name)) return `target group ${i}: ${JSON.stringify(name)} is not a valid label name`
      if (!isValidLabelValue(value)) return `target group ${i}: ${JSON.stringify(value)} is not a valid label value`
      record[name] = value
    }
    record[extra[0]] = extra[1]
    groups.push({
      source: source(i),
      labels: L.fromRecord(record),
      targets: (targets as ReadonlyArray<string>).map((t) => L.single("__address__", t))
    })
  }
  return groups
}

/** Empty groups for the indexes a document no longer has, so their targets go away. */
export const vanished = (source: (index: number) => string, now: number, before: number): ReadonlyArray<TargetGroup> =>
  Array.from({ length: Math.max(0, before - now) }, (_, k) => ({ source: source(now + k), labels: L.empty, targets: [] }))
