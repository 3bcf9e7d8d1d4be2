/**
 * Go's `regexp.Expand`: `$name` and `${name}` in a template, where a name is the longest run of letters, digits
 * and underscores (so `$1x` names the group "1x", which does not exist, and expands to nothing), `$$` is a dollar,
 * and a `$` not followed by a name is kept as is.
 */
import type { Groups } from "./regex.ts"

const nameChar = /[\p{L}\p{Nd}_]/u

/** Text as it is, a group by number, or a group by name (looked up in the regex's group names). */
type Part = string | { readonly index: number } | { readonly name: string }

const parse = (template: string): ReadonlyArray<Part> => {
  const parts: Array<Part> = []
  let text = ""
  let i = 0
  while (i < template.length) {
    const dollar = template.indexOf("$", i)
    if (dollar < 0) break
    text += template.slice(i, dollar)
    i = dollar + 1
    if (template[i] === "$") {
      text += "$"
      i++
      continue
    }
    const brace = template[i] === "{"
    let j = brace ? i + 1 : i
    const nameStart = j
    while (j < template.length) {
      const cp = template.codePointAt(j)!
      const ch = String.fromCodePoint(cp)
      if (!nameChar.test(ch)) break
      j += ch.length
    }
    const name = template.slice(nameStart, j)
    if (name === "" || (brace && template[j] !== "}")) {
      text += "$"
      continue
    }
    i = brace ? j + 1 : j
    parts.push(text)
    text = ""
    // Go reads a name of up to nine digits without a leading zero as a group number, any other as a group name.
    const numeric = /^[0-9]+$/.test(name) && !(name.length > 1 && name[0] === "0") && name.length <= 9
    parts.push(numeric ? { index: Number(name) } : { name })
  }
  parts.push(text + template.slice(i))
  return parts
}

// Templates come from the configuration, so there are few; each is read once instead of once per target.
const parsed = new Map<string, ReadonlyArray<Part>>()

export const expand = (template: string, groups: Groups, groupNames: ReadonlyArray<string>): string => {
  if (!template.includes("$")) return template
  let parts = parsed.get(template)
  if (parts === undefined) parsed.set(template, parts = parse(template))
  let out = ""
  for (const part of parts) {
    if (typeof part === "string") {
      out += part
      continue
    }
    const index = "index" in part ? part.index : groupNames.indexOf(part.name)
    if (index >= 0 && index < groups.length) out += groups[index] ?? ""
  }
  return out
}
