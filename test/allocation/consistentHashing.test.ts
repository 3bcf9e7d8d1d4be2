import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Alloc from "../../src/allocation/allocator.ts"
import { consistentHashing } from "../../src/allocation/consistentHashing.ts"
import * as L from "../../src/labels/labels.ts"
import { identity } from "../../src/targets/identity.ts"
import type { Target } from "../../src/targets/target.ts"

const target = (job: string, address: string, extra: Record<string, string> = {}): Target => {
  const labels = L.fromRecord({ __address__: address, ...extra })
  return { job, address, labels, id: identity(job, labels), source: "s" }
}
const collectors = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `collector-${i}`, node: "" }))

const assignment = (state: Alloc.AllocationState): Map<string, string | undefined> => {
  const out = new Map<string, string | undefined>()
  for (const [job, assigned] of state.jobs) for (const a of assigned.values()) out.set(`${job}|${a.target.address}`, a.collector)
  return out
}

const add = (state: Alloc.AllocationState, ts: ReadonlyArray<Target>) => {
  const changes = Alloc.emptyChanges()
  for (const t of ts) Alloc.applyTargets(state, t.job, { added: [t], removed: [], updated: [] }, changes)
  return changes
}

describe("consistent-hashing", () => {
  const targets = Array.from({ length: 2000 }, (_, i) => target(`job-${i % 7}`, `10.0.${i >> 8}.${i & 255}:9100`))

  it("assigns every target to exactly one live collector", () => {
    const s = Alloc.make(consistentHashing)
    Alloc.setCollectors(s, collectors(5), Alloc.emptyChanges())
    add(s, targets)
    const a = assignment(s)
    expect(a.size).toBe(targets.length)
    const live = new Set(collectors(5).map((c) => c.name))
    for (const c of a.values()) expect(live.has(c!)).toBe(true)
    expect(s.unassigned).toBe(0)
    // each target is counted on exactly one collector
    expect([...s.totals.values()].reduce((n, c) => n + c, 0)).toBe(targets.length)
  })

  it("is deterministic whatever the order of targets and collectors", () => {
    fc.assert(fc.property(fc.shuffledSubarray(targets, { minLength: 50, maxLength: 200 }), fc.boolean(), (ts, collectorsFirst) => {
      const a = Alloc.make(consistentHashing)
      Alloc.setCollectors(a, collectors(4), Alloc.emptyChanges())
      add(a, ts)
      const b = Alloc.make(consistentHashing)
      if (!collectorsFirst) add(b, [...ts].reverse())
      Alloc.setCollectors(b, [...collectors(4)].reverse(), Alloc.emptyChanges())
      if (collectorsFirst) add(b, [...ts].reverse())
      expect(assignment(b)).toEqual(assignment(a))
    }), { numRuns: 30 })
  })

  it("keys on the address: the same address lands on the same collector in every job, and keeps it when labels change", () => {
    const s = Alloc.make(consistentHashing)
    Alloc.setCollectors(s, collectors(8), Alloc.emptyChanges())
    const t1 = target("a", "10.1.1.1:80")
    const t2 = target("b", "10.1.1.1:80")
    add(s, [t1, t2])
    const a = assignment(s)
    expect(a.get("a|10.1.1.1:80")).toBe(a.get("b|10.1.1.1:80"))
    const relabeled = { ...t1, labels: L.fromRecord({ __address__: "10.1.1.1:80", __meta_x: "new" }) }
    const changes = Alloc.emptyChanges()
    Alloc.applyTargets(s, "a", { added: [], removed: [], updated: [relabeled] }, changes)
    expect(assignment(s).get("a|10.1.1.1:80")).toBe(a.get("a|10.1.1.1:80"))
    expect(changes.pairs.get("a")).toEqual(new Set([a.get("a|10.1.1.1:80")]))
  })

  it("keeps targets with no collector, and assigns them when one appears", () => {
    const s = Alloc.make(consistentHashing)
    add(s, targets.slice(0, 100))
    expect(s.unassigned).toBe(100)
    expect(s.totals.size).toBe(0)
    Alloc.setCollectors(s, collectors(2), Alloc.emptyChanges())
    expect(s.unassigned).toBe(0)
    Alloc.setCollectors(s, [], Alloc.emptyChanges())
    expect(s.unassigned).toBe(100)
    expect(s.jobs.size).toBe(7)
  })

  it("moves only the departed collector's targets when one leaves", () => {
    const s = Alloc.make(consistentHashing)
    Alloc.setCollectors(s, collectors(10), Alloc.emptyChanges())
    add(s, targets)
    const before = assignment(s)
    const changes = Alloc.emptyChanges()
    Alloc.setCollectors(s, collectors(10).filter((c) => c.name !== "collector-3"), changes)
    const after = assignment(s)
    let moved = 0
    for (const [k, c] of after) {
      if (c !== before.get(k)) {
        expect(before.get(k)).toBe("collector-3")
        moved++
      }
    }
    expect(changes.moved).toBe(moved)
    expect(moved).toBe([...before.values()].filter((c) => c === "collector-3").length)
  })

  it("spreads targets over the collectors", () => {
    const s = Alloc.make(consistentHashing)
    Alloc.setCollectors(s, collectors(10), Alloc.emptyChanges())
    add(s, targets)
    const loads = [...s.totals.values()]
    expect(loads.length).toBe(10)
    // A first version: within 35% of the mean; the tight bounds belong to the allocation-quality work.
    expect(Math.max(...loads) / (targets.length / 10)).toBeLessThan(1.35)
  })
})
