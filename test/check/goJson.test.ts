import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { goArrayWriter, goMarshalIndent } from "../../src/check/goJson.ts"

describe("Go's JSON", () => {
  it("indents as json.MarshalIndent and escapes what Go escapes, inside strings", () => {
    expect(goMarshalIndent([{ a: "<&>\u2028", b: {}, c: [] }])).toBe(`[\n  {\n    "a": "\\u003c\\u0026\\u003e\\u2028",\n    "b": {},\n    "c": []\n  }\n]`)
    expect(goMarshalIndent([])).toBe("[]")
  })

  it("writes an array batch by batch exactly as in one piece", () => {
    fc.assert(fc.property(
      fc.array(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.string()))), { maxLength: 30 }),
      fc.integer({ min: 1, max: 7 }),
      (items, size) => {
        const w = goArrayWriter()
        let out = w.open()
        for (let i = 0; i < items.length; i += size) out += w.elements(items.slice(i, i + size))
        out += w.close()
        expect(out).toBe(goMarshalIndent(items))
      }
    ))
  })
})
