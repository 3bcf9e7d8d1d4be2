/**
 * Field selectors (`metadata.name=x,spec.nodeName!=y`), evaluated on an object by dotted path, for in-memory API
 * servers in tests. The real API server supports only a few fields per resource; this accepts any path.
 */
export const matchesFields = (selector: string | undefined, object: unknown): boolean => {
  if (selector === undefined || selector.trim() === "") return true
  return selector.split(",").every((part) => {
    const m = /^\s*([^!=\s]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(part)
    if (m === null) return true
    let v: unknown = object
    for (const key of m[1]!.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined
    const value = v === undefined || v === null ? "" : String(v)
    return m[2] === "!=" ? value !== m[3] : value === m[3]
  })
}
