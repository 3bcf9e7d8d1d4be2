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

/** An empty value deletes the label: Prometheus treats an empty label as an absent one. */
const set = (lb: LabelBuilder, name: string, value: string): void => {
  if (value === "") lb.delete(name)
  else lb.set(name, value)
}

const sourceValue = (lb: LabelBuilder, rule: RelabelRule): string => {
  const names = rule.sourceLabels
  if (names.length === 1) return lb.get(names[0]!) ?? ""
  let out = ""
  for (let i = 0; i < names.length; i++) out += (i === 0 ? "" : rule.separator) + (lb.get(names[i]!) ?? "")
  return out
}

/** Applies one rule; `false` drops the target. */
export const applyRule = (lb: LabelBuilder, rule: RelabelRule): boolean => {
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
    case "replace": {
      const groups = rule.regex.exec(val)
      if (groups === null) return true
      const target = expand(rule.targetLabel, groups, rule.regex.groupNames)
      if (!isValidLabelName(target, rule.scheme)) return true
      set(lb, target, expand(rule.replacement, groups, rule.regex.groupNames))
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
    case "labelmap":
      for (const [name, value] of [...lb]) {
        const groups = rule.regex.exec(name)
        if (groups !== null) set(lb, expand(rule.replacement, groups, rule.regex.groupNames), value)
      }
      return true
    case "labeldrop":
      for (const name of [...lb.keys()]) if (rule.regex.matches(name)) lb.delete(name)
      return true
    case "labelkeep":
      for (const name of [...lb.keys()]) if (!rule.regex.matches(name)) lb.delete(name)
      return true
  }
}

/** Applies the rules in order; `false` as soon as one drops the target. */
export const process = (lb: LabelBuilder, rules: ReadonlyArray<RelabelRule>): boolean => {
  for (const rule of rules) if (!applyRule(lb, rule)) return false
  return true
}
