import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { leastWeighted } from "../../src/allocation/leastWeighted.ts"
import { addresses, allocation, collectors, target } from "./support.ts"

describe("least-weighted", () => {
  it("sends each new target to the least loaded collector: fewest targets, then fewest of its job, then the name", () => {
    const a = allocation(leastWeighted)
    a.setCollectors(collectors(3))
    a.add([target("x", "a:1"), target("x", "a:2"), target("y", "a:3")])
    // One each, in name order.
    expect(a.assignment()).toEqual(new Map([["x|a:1", "collector-0"], ["x|a:2", "collector-1"], ["y|a:3", "collector-2"]]))
    // All have one; collector-2 has none of job x.
    a.add([target("x", "a:4")])
    expect(a.assignment().get("x|a:4")).toBe("collector-2")
  })

  it("fills the collectors that lost targets first, counting each target it places as it goes", () => {
    const a = allocation(leastWeighted)
    a.setCollectors(collectors(3))
    const ts = addresses(9).map((x) => target("x", x))
    a.add(ts)
    expect(a.loads()).toEqual([3, 3, 3])
    const on1 = ts.filter((t) => a.assignment().get(`x|${t.address}`) === "collector-1")
    a.remove(on1.slice(0, 2))
    // One target of another job first, to a batch of its own: collector-1 has fewest.
    a.add([target("y", "y:1")])
    expect(a.assignment().get("y|y:1")).toBe("collector-1")
    expect(a.loads()).toEqual([3, 2, 3])
    // In one batch: collector-1 again; then a three-way tie, to the fewest of job y (collector-0 and -2 have none),
    // then the name; then collector-1 and -2 tie, and collector-2 has fewer of job y.
    a.add([target("y", "y:2"), target("y", "y:3"), target("y", "y:4")])
    expect(["y:2", "y:3", "y:4"].map((x) => a.assignment().get(`y|${x}`))).toEqual(["collector-1", "collector-0", "collector-2"])
    expect(a.loads()).toEqual([4, 3, 4])
  })

  it("is sticky: a new collector gets only new or orphaned targets", () => {
    const a = allocation(leastWeighted)
    a.setCollectors(collectors(2))
    a.add(addresses(10).map((x) => target("j", x)))
    const before = a.assignment()
    const joined = a.setCollectors(collectors(3))
    expect(a.assignment()).toEqual(before)
    expect(joined.moved).toBe(0)
    a.add([target("j", "new:1")])
    expect(a.assignment().get("j|new:1")).toBe("collector-2")
    // collector-0 leaves: its targets are spread over the least loaded.
    const left = a.setCollectors(collectors(3).filter((c) => c.name !== "collector-0"))
    const after = a.assignment()
    for (const [k, c] of before) if (c !== "collector-0") expect(after.get(k)).toBe(c)
    expect(left.moved).toBe([...before.values()].filter((c) => c === "collector-0").length)
    expect(Math.max(...a.loads()) - Math.min(...a.loads())).toBeLessThanOrEqual(1)
  })

  it("assigns each target once, all of them while a collector exists, and is deterministic given the order of changes", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 6 }),
      (picks, n) => {
        const ts = [...new Set(picks)].map((i) => target(`job-${i % 3}`, `10.0.${i >> 8}.${i & 255}:80`))
        const run = () => {
          const a = allocation(leastWeighted)
          a.setCollectors(collectors(n))
          a.add(ts)
          return a
        }
        const a = run()
        expect(a.state.unassigned).toBe(0)
        expect(a.loads().reduce((x, y) => x + y, 0)).toBe(ts.length)
        expect(Math.max(...a.loads()) - Math.min(...a.loads(), ts.length >= n ? Infinity : 0)).toBeLessThanOrEqual(1)
        expect(run().assignment()).toEqual(a.assignment())
      }
    ), { numRuns: 50 })
  })
})
