/**
 * Go's `regexp.Expand`: `$name` and `${name}` in a template, where a name is the longest run of letters, digits
 * and underscores (so `$1x` names the group "1x", which does not exist, and expands to nothing), `$$` is a dollar,
 * and a `$` not followed by a name is kept as is.
 */
import type { Groups } from "./regex.ts"

const nameChar = /[\p{L}\p{Nd}_]/u

/** Text as it is, a group by number, or a group by name (looked up in the regex's group names). */
type Part = string | { readonly index: number } | { readonly name: string }

/** A template read once, when its rule is compiled, rather than at every target. */
export type Template = ReadonlyArray<Part>

export const parseTemplate = (template: string): Template => {
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

export const expand = (template: Template, groups: Groups, groupNames: ReadonlyArray<string>): string => {
  if (template.length === 1 && typeof template[0] === "string") return template[0]
  let out = ""
  for (const part of template) {
    if (typeof part === "string") {
      out += part
      continue
    }
    const index = "index" in part ? part.index : groupNames.indexOf(part.name)
    if (index >= 0 && index < groups.length) out += groups[index] ?? ""
  }
  return out
}
