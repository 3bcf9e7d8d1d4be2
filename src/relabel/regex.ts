/**
 * Relabel regexes with Go's RE2 semantics, in linear time.
 *
 * Prometheus compiles every relabel regex as `^(?s:<regex>)$`: fully anchored, `.` matching newlines. Patterns come
 * from tenants' CRs, so a backtracking engine is not an option: the general case runs on re2js, a port of RE2 that
 * guarantees linear time and reports syntax errors with Go's own messages. re2js is slow per call, so the shapes
 * that make up nearly every real relabel rule (the default `(.*)`, literals, alternations of literals, a literal
 * prefix or suffix around `(.*)`/`(.+)`) are recognised at compile time and run as plain string operations with
 * exactly the same results.
 */
import { Data } from "effect"
import { RE2JS, RE2JSException } from "re2js"

/** Group 0 is the whole match; a group that did not take part is `undefined` (Go: index -1). */
export type Groups = ReadonlyArray<string | undefined>

export interface Regex {
  /** The pattern as written in the config (what `/scrape_configs` shows). */
  readonly source: string
  readonly matches: (s: string) => boolean
  /** The submatches of a full match, or `null`. */
  readonly exec: (s: string) => Groups | null
  /** Capture-group names by index (index 0 unused); `""` for an unnamed group. */
  readonly groupNames: ReadonlyArray<string>
}

export class RegexSyntaxError extends Data.TaggedError("RegexSyntaxError")<{ readonly message: string }> {}

const meta = /[\\.+*?()|[\]{}^$]/

/** `\.` and friends: an escaped punctuation character is that character. */
const unescapeLiteral = (p: string): string | undefined => {
  let out = ""
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    if (c === "\\") {
      const next = p[i + 1]
      if (next === undefined || !/[\\.+*?()|[\]{}^$\-/#&~!%,:;<=>@`'"_ ]/.test(next)) return undefined
      out += next
      i++
    } else if (meta.test(c)) return undefined
    else out += c
  }
  return out
}

const fastPath = (p: string): Omit<Regex, "source"> | undefined => {
  const anything = { matches: () => true }
  switch (p) {
    case ".*":
      return { ...anything, exec: (s) => [s], groupNames: [""] }
    case "(.*)":
      return { ...anything, exec: (s) => [s, s], groupNames: ["", ""] }
    case ".+":
      return { matches: (s) => s.length > 0, exec: (s) => (s.length > 0 ? [s] : null), groupNames: [""] }
    case "(.+)":
      return { matches: (s) => s.length > 0, exec: (s) => (s.length > 0 ? [s, s] : null), groupNames: ["", ""] }
  }
  const literal = unescapeLiteral(p)
  if (literal !== undefined) {
    return { matches: (s) => s === literal, exec: (s) => (s === literal ? [s] : null), groupNames: [""] }
  }
  // a|b|c of plain literals
  if (p.includes("|") && !/[\\.+*?()[\]{}^$]/.test(p)) {
    const set = new Set(p.split("|"))
    return { matches: (s) => set.has(s), exec: (s) => (set.has(s) ? [s] : null), groupNames: [""] }
  }
  // PREFIX(.*) PREFIX(.+) PREFIX.* and the suffix forms
  const m = /^(.*?)(\(\.\*\)|\(\.\+\)|\.\*|\.\+)$/s.exec(p) ?? undefined
  const prefix = m === undefined ? undefined : unescapeLiteral(m[1]!)
  if (m !== undefined && prefix !== undefined && prefix !== "") {
    const min = m[2]!.includes("+") ? 1 : 0
    const group = m[2]!.startsWith("(")
    const ok = (s: string) => s.length >= prefix.length + min && s.startsWith(prefix)
    return {
      matches: ok,
      exec: (s) => (ok(s) ? (group ? [s, s.slice(prefix.length)] : [s]) : null),
      groupNames: group ? ["", ""] : [""]
    }
  }
  const n = /^(\(\.\*\)|\(\.\+\)|\.\*|\.\+)(.*)$/s.exec(p) ?? undefined
  const suffix = n === undefined ? undefined : unescapeLiteral(n[2]!)
  if (n !== undefined && suffix !== undefined && suffix !== "") {
    const min = n[1]!.includes("+") ? 1 : 0
    const group = n[1]!.startsWith("(")
    const ok = (s: string) => s.length >= suffix.length + min && s.endsWith(suffix)
    return {
      matches: ok,
      exec: (s) => (ok(s) ? (group ? [s, s.slice(0, s.length - suffix.length)] : [s]) : null),
      groupNames: group ? ["", ""] : [""]
    }
  }
  return undefined
}

const general = (re: RE2JS): Omit<Regex, "source"> => {
  const count = re.groupCount()
  const names: Array<string> = new Array(count + 1).fill("")
  for (const [name, index] of Object.entries(re.namedGroups())) names[index] = name
  return {
    matches: (s) => re.matches(s),
    exec: (s) => {
      const m = re.matcher(s)
      if (!m.matches()) return null
      const groups: Array<string | undefined> = [s]
      for (let i = 1; i <= count; i++) groups.push(m.start(i) < 0 ? undefined : m.group(i) ?? undefined)
      return groups
    },
    groupNames: names
  }
}

/** Compiles a relabel regex as Prometheus does (`^(?s:<pattern>)$`), or explains, in Go's words, why not. */
export const compileRegex = (pattern: string, options: { readonly fastPaths?: boolean } = {}): Regex | RegexSyntaxError => {
  let re: RE2JS
  try {
    // Always compiled, even for a fast path: the syntax check is RE2's, not ours.
    re = RE2JS.compile(`^(?s:${pattern})$`)
  } catch (e) {
    if (e instanceof RE2JSException) return new RegexSyntaxError({ message: e.message })
    throw e
  }
  return { source: pattern, ...((options.fastPaths ?? true ? fastPath(pattern) : undefined) ?? general(re)) }
}
