import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { goString, JsonBytes } from "../../src/check/goJson.ts"

const text = fc.array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("<", ">", "&", "\u2028", "\u2029", `"`, "\\", "\u007f", "\u0001")))
  .map((xs) => xs.join(""))

describe("Go's JSON strings", () => {
  it("escape <, >, &, U+2028 and U+2029 besides what JavaScript escapes", () => {
    expect(goString(`<&>\u2028\u2029"\\\n\u0000é`)).toBe(`"\\u003c\\u0026\\u003e\\u2028\\u2029\\"\\\\\\n\\u0000é"`)
    expect(goString("plain")).toBe(`"plain"`)
  })

  it("are JavaScript's with only those five escaped", () => {
    fc.assert(fc.property(text, (s) => {
      const quoted = goString(s)
      expect(JSON.parse(quoted)).toBe(s)
      expect(quoted).not.toMatch(/[<>&\u2028\u2029]/)
      // Each of the five becomes a six-character escape; nothing else changes length.
      expect(quoted.length).toBe(JSON.stringify(s).length + 5 * (s.match(/[<>&\u2028\u2029]/g)?.length ?? 0))
    }))
  })

  it("are written as bytes exactly as quoted", () => {
    fc.assert(fc.property(fc.array(text, { maxLength: 4 }), (strings) => {
      const out = new JsonBytes()
      for (const s of strings) out.string(s)
      expect(new TextDecoder().decode(out.take())).toBe(strings.map(goString).join(""))
    }))
  })
})
