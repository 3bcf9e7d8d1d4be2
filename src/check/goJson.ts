/**
 * JSON as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, objects in the given key
 * order, and `MarshalIndent`'s layout, so our output can be compared byte for byte with Go tools' output.
 */
export type GoJson = string | number | boolean | null | ReadonlyArray<GoJson> | { readonly [k: string]: GoJson }

const goString = (s: string): string =>
  JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

export const goMarshalIndent = (v: GoJson, indent = "  ", level = 0): string => {
  const pad = indent.repeat(level + 1)
  const end = indent.repeat(level)
  if (typeof v === "string") return goString(v)
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]"
    return `[\n${v.map((x: GoJson) => pad + goMarshalIndent(x, indent, level + 1)).join(",\n")}\n${end}]`
  }
  const entries = Object.entries(v as { readonly [k: string]: GoJson })
  if (entries.length === 0) return "{}"
  return `{\n${entries.map(([k, x]) => `${pad}${goString(k)}: ${goMarshalIndent(x, indent, level + 1)}`).join(",\n")}\n${end}}`
}
