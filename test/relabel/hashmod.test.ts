import { describe, expect, it } from "vitest"
import { hashmod } from "../../src/relabel/hashmod.ts"

describe("hashmod", () => {
  it("matches upstream's vectors (MD5, last 8 bytes big-endian, mod N)", () => {
    expect(hashmod("baz", 1000n)).toBe("976")
    expect(hashmod("foo\nbar", 1000n)).toBe("734")
  })
  it("handles a modulus beyond 2^53", () => {
    const m = 2n ** 64n - 1n
    expect(BigInt(hashmod("x", m)) < m).toBe(true)
  })
})
