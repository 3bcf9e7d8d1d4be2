/**
 * Target relabeling with Prometheus 3's semantics (`model/relabel.ProcessBuilder`).
 *
 * The builder is a `Map`, whose insertion order behaves like Prometheus's `labels.Builder`: a label set again keeps
 * its place, a deleted one set again goes to the end. `labelmap`, `labeldrop` and `labelkeep` iterate over a
 * snapshot, as `Builder.Range` does, so a rule sees the labels as they were when it started.
 */
import type { RelabelRule } from "../config/prometheus/relabelConfig.ts"
import { isValidLabelName } from "../labels/names.ts"
import { goToLower, goToUpper } from "./caseMapping.ts"
import { expand } from "./expand.ts"
import { hashmod } from "./hashmod.ts"

export type LabelBuilder = Map<string, string>

/** What the filtering actions read: a builder, or any other view of a label set. */
export interface LabelReader {
  readonly get: (name: string) => string | undefined
}

/** An empty value deletes the label: Prometheus treats an empty label as an absent one. */
const set = (lb: LabelBuilder, name: string, value: string): void => {
  if (value === "") lb.delete(name)
  else lb.set(name, value)
}

const sourceValue = (lb: LabelReader, rule: RelabelRule): string => {
  const names = rule.sourceLabels
  if (names.length === 1) return lb.get(names[0]!) ?? ""
  let out = ""
  for (let i = 0; i < names.length; i++) out += (i === 0 ? "" : rule.separator) + (lb.get(names[i]!) ?? "")
  return out
}

type FilterAction = "keep" | "drop" | "keepequal" | "dropequal"
const isFilter = (action: RelabelRule["action"]): action is FilterAction =>
  action === "keep" || action === "drop" || action === "keepequal" || action === "dropequal"

/** A rule that only decides, changing nothing: `false` drops the target. */
const passes = (lb: LabelReader, rule: RelabelRule & { readonly action: FilterAction }): boolean => {
  const val = sourceValue(lb, rule)
  switch (rule.action) {
    case "drop":
      return !rule.regex.matches(val)
    case "keep":
      return rule.regex.matches(val)
    case "dropequal":
      return (lb.get(rule.targetLabel) ?? "") !== val
    case "keepequal":
      return (lb.get(rule.targetLabel) ?? "") === val
  }
}

/**
 * How many rules at the start only filter. They can run on a cheap view of the discovered labels, before a builder
 * is made: in a typical Kubernetes job they drop most targets (every port but the metrics one, every unannotated pod).
 */
export const leadingFilters = (rules: ReadonlyArray<RelabelRule>): number => {
  let n = 0
  while (n < rules.length && isFilter(rules[n]!.action)) n++
  return n
}

/** Applies the first `count` rules, which must only filter (see `leadingFilters`). */
export const passesFilters = (reader: LabelReader, rules: ReadonlyArray<RelabelRule>, count: number): boolean => {
  for (let i = 0; i < count; i++) if (!passes(reader, rules[i] as RelabelRule & { readonly action: FilterAction })) return false
  return true
}

/** Applies one rule; `false` drops the target. */
export const applyRule = (lb: LabelBuilder, rule: RelabelRule): boolean => {
  if (isFilter(rule.action)) return passes(lb, rule as RelabelRule & { readonly action: FilterAction })
  const val = sourceValue(lb, rule)
  switch (rule.action) {
    case "replace": {
      const groups = rule.regex.exec(val)
      if (groups === null) return true
      const target = expand(rule.targetTemplate, groups, rule.regex.groupNames)
      if (!isValidLabelName(target, rule.scheme)) return true
      set(lb, target, expand(rule.replacementTemplate, groups, rule.regex.groupNames))
      return true
    }
    case "lowercase":
      set(lb, rule.targetLabel, goToLower(val))
      return true
    case "uppercase":
      set(lb, rule.targetLabel, goToUpper(val))
      return true
    case "hashmod":
      set(lb, rule.targetLabel, hashmod(val, rule.modulus))
      return true
    case "labelmap": {
      // The snapshot as two flat arrays: no pair made per label.
      const names = [...lb.keys()]
      const values = [...lb.values()]
      for (let i = 0; i < names.length; i++) {
        const groups = rule.regex.exec(names[i]!)
        if (groups !== null) set(lb, expand(rule.replacementTemplate, groups, rule.regex.groupNames), values[i]!)
      }
      return true
    }
    case "labeldrop":
      for (const name of [...lb.keys()]) if (rule.regex.matches(name)) lb.delete(name)
      return true
    case "labelkeep":
      for (const name of [...lb.keys()]) if (!rule.regex.matches(name)) lb.delete(name)
      return true
  }
}

/** Applies the rules in order (from `from`); `false` as soon as one drops the target. */
export const process = (lb: LabelBuilder, rules: ReadonlyArray<RelabelRule>, from = 0): boolean => {
  for (let i = from; i < rules.length; i++) if (!applyRule(lb, rules[i]!)) return false
  return true
}
