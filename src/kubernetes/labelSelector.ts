/**
 * Label selectors: `metav1.LabelSelector` as the query string the API server takes, and matching a label set, with
 * Kubernetes's semantics (`NotIn` and `DoesNotExist` match an absent label).
 */
import type { LabelSelector } from "../config/labelSelector.ts"

export const selectorString = (s: LabelSelector | undefined): string => {
  if (s === undefined) return ""
  const parts = Object.keys(s.matchLabels).sort().map((k) => `${k}=${s.matchLabels[k]}`)
  for (const r of s.matchExpressions) {
    const values = [...r.values].sort().join(",")
    switch (r.operator) {
      case "In": parts.push(`${r.key} in (${values})`); break
      case "NotIn": parts.push(`${r.key} notin (${values})`); break
      case "Exists": parts.push(r.key); break
      case "DoesNotExist": parts.push(`!${r.key}`); break
    }
  }
  return parts.join(",")
}

export const matches = (s: LabelSelector | undefined, labels: Readonly<Record<string, string>> = {}): boolean => {
  if (s === undefined) return true
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false
  for (const r of s.matchExpressions) {
    const v = labels[r.key]
    switch (r.operator) {
      case "In": if (v === undefined || !r.values.includes(v)) return false; break
      case "NotIn": if (v !== undefined && r.values.includes(v)) return false; break
      case "Exists": if (v === undefined) return false; break
      case "DoesNotExist": if (v !== undefined) return false; break
    }
  }
  return true
}

type Requirement =
  | { readonly op: "=" | "!="; readonly key: string; readonly value: string }
  | { readonly op: "in" | "notin"; readonly key: string; readonly values: ReadonlyArray<string> }
  | { readonly op: "exists" | "!exists"; readonly key: string }

/** The API server's selector syntax (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), for in-memory servers in tests. */
export const parseSelectorString = (s: string): ReadonlyArray<Requirement> => {
  const out: Array<Requirement> = []
  // Split on commas outside parentheses.
  const parts: Array<string> = []
  let depth = 0
  let current = ""
  for (const c of s) {
    if (c === "(") depth++
    if (c === ")") depth--
    if (c === "," && depth === 0) {
      parts.push(current)
      current = ""
    } else current += c
  }
  if (current.trim() !== "") parts.push(current)
  for (const raw of parts) {
    const p = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(p)) !== null) {
      out.push({ op: m[2] as "in" | "notin", key: m[1]!, values: m[3]!.split(",").map((v) => v.trim()).filter((v) => v !== "") })
    } else if ((m = /^([^!=\s]+)\s*(!=|==|=)\s*(.*)$/.exec(p)) !== null) {
      out.push({ op: m[2] === "!=" ? "!=" : "=", key: m[1]!, value: m[3]!.trim() })
    } else if (p.startsWith("!")) out.push({ op: "!exists", key: p.slice(1).trim() })
    else out.push({ op: "exists", key: p })
  }
  return out
}

export const matchesString = (s: string | undefined, labels: Readonly<Record<string, string>> = {}): boolean =>
  s === undefined || s === "" ||
  parseSelectorString(s).every((r) => {
    const v = labels[r.key]
    switch (r.op) {
      case "=": return v === r.value
      case "!=": return v !== r.value
      case "in": return v !== undefined && r.values.includes(v)
      case "notin": return v === undefined || !r.values.includes(v)
      case "exists": return v !== undefined
      case "!exists": return v === undefined
    }
  })
