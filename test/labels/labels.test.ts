import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as L from "../../src/labels/labels.ts"

const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ minLength: 1, maxLength: 6 }))

describe("label sets", () => {
  it("are sorted by name and drop empty values", () => {
    expect([...L.fromRecord({ b: "2", a: "1", c: "" })]).toEqual(["a", "1", "b", "2"])
  })

  it("merge with the target's labels winning, staying sorted", () => {
    const group = L.fromRecord({ __meta_x: "g", env: "prod", z: "1" })
    const target = L.fromRecord({ __address__: "a:1", env: "dev" })
    expect(L.toRecord(L.merge(group, target))).toEqual({ __address__: "a:1", __meta_x: "g", env: "dev", z: "1" })
    expect([...L.merge(group, target)].filter((_, i) => i % 2 === 0)).toEqual(["__address__", "__meta_x", "env", "z"])
  })

  it("merge as an object spread would, for any inputs", () => {
    fc.assert(fc.property(record, record, (a, b) => {
      const merged = L.merge(L.fromRecord(a), L.fromRecord(b))
      const expected = L.fromRecord({ ...a, ...b })
      return L.equals(merged, expected)
    }))
  })

  it("find any label by name", () => {
    fc.assert(fc.property(record, (r) => {
      const l = L.fromRecord(r)
      return Object.entries(r).every(([k, v]) => L.get(l, k) === v) && L.get(l, "\u0000absent") === undefined
    }))
  })
})
