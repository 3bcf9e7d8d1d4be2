/**
 * One target as an HTTP_SD group (Prometheus `http_sd_configs` format): only `targets` and `labels` keys, which
 * Prometheus requires, with the pre-relabel labels the collector relabels itself. Documents are assembled from
 * these groups (serving/httpSdDocument.ts).
 */
import { forEachMerged } from "../labels/labels.ts"
import type { Target } from "../targets/target.ts"

/**
 * `JSON.stringify` of a string, without the call for the usual label: one with no quote, backslash, control
 * character or surrogate (which JSON escapes or checks) is only wrapped in quotes.
 */
export const quote = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s)
  }
  return `"${s}"`
}

/** `"name":` per label name: names repeat in every target. Bounded, as names come from the cluster. */
const nameParts = new Map<string, string>()
const namePart = (name: string): string => {
  let part = nameParts.get(name)
  if (part === undefined) {
    part = `${quote(name)}:`
    if (nameParts.size < 10_000) nameParts.set(name, part)
  }
  return part
}

/** The group's and the target's labels merged as they are written (both sorted; the target's win). */
export const renderTarget = (t: Target): string => {
  let out = `{"targets":[${quote(t.address)}],"labels":{`
  let sep = ""
  forEachMerged(t.groupLabels, t.targetLabels, (name, value) => {
    out += sep + namePart(name) + quote(value)
    sep = ","
  })
  return `${out}}}`
}
