import { describe, expect, it } from "vitest"
import { atLeast, minimumNode } from "../../layers/nodeVersion.ts"

describe("the Node.js version check", () => {
  it("compares versions by number, not as text", () => {
    expect(atLeast("22.19.0", minimumNode)).toBe(true)
    expect(atLeast("v24.21.0", minimumNode)).toBe(true)
    expect(atLeast("22.100.0", "22.19.0")).toBe(true)
    expect(atLeast("23.0.0", "22.19.0")).toBe(true)
    expect(atLeast("22.18.9", minimumNode)).toBe(false)
    expect(atLeast("22.12.0", minimumNode)).toBe(false)
    expect(atLeast("20.20.2", minimumNode)).toBe(false)
    expect(atLeast("9.99.99", "22.19.0")).toBe(false)
  })
})
