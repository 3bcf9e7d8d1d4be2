/**
 * JSON as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, objects in the given key
 * order, and `MarshalIndent`'s layout, so our output can be compared byte for byte with Go tools' output.
 */
export type GoJson = string | number | boolean | null | ReadonlyArray<GoJson> | { readonly [k: string]: GoJson }

/**
 * `json.MarshalIndent(v, "", indent)`. JavaScript's own indented output has Go's layout (empty arrays and objects
 * included); what differs is escaping, and the characters Go escapes can only occur inside strings, so one pass
 * over the whole text is enough. (Label values are valid UTF-8: no lone surrogates, which the two would differ on.)
 */
export const goMarshalIndent = (v: GoJson, indent = "  "): string =>
  JSON.stringify(v, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/**
 * The same layout for an array written a batch of elements at a time: `open()`, then `elements(batch)` for each
 * batch, then `close()`, each piece to append to the output. For printing results as they are computed.
 */
export const goArrayWriter = (indent = "  ") => {
  let first = true
  return {
    open: () => "[",
    elements: (batch: ReadonlyArray<GoJson>): string => {
      if (batch.length === 0) return ""
      // The batch as an array, without its brackets: the elements come out indented as inside the whole array.
      const text = goMarshalIndent(batch, indent)
      const piece = `${first ? "" : ","}${text.slice(1, -2)}`
      first = false
      return piece
    },
    close: () => (first ? "]" : "\n]")
  }
}
