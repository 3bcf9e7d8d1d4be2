import { describe, expect, it } from "vitest"
import { goToLower, goToUpper } from "../../src/relabel/caseMapping.ts"

describe("Go's case mapping", () => {
  it.each([
    ["ß", "ß"], ["straße", "STRAßE"], ["ﬁ", "ﬁ"], ["ᾳ", "ᾼ"], ["ᾀ", "ᾈ"], ["ı", "I"], ["i", "I"], ["ǆ", "Ǆ"], ["𐐨", "𐐀"]
  ])("upper-cases %s as %s, one code point at a time", (s, u) => expect(goToUpper(s)).toBe(u))

  it.each([
    ["İ", "i"], ["ΟΔΟΣ", "οδοσ"], ["Σ", "σ"], ["ǅ", "ǆ"], ["ÀÉÎ", "àéî"], ["𐐀", "𐐨"], ["K", "k"]
  ])("lower-cases %s as %s, with no final sigma or special casing", (s, l) => expect(goToLower(s)).toBe(l))

  it("keeps ASCII fast and exact", () => {
    expect(goToUpper("abc-XYZ_09")).toBe("ABC-XYZ_09")
    expect(goToLower("abc-XYZ_09")).toBe("abc-xyz_09")
  })
})
