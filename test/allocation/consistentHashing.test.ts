import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { consistentHashing } from "../../src/allocation/consistentHashing.ts"
import type { Collector } from "../../src/membership/collector.ts"
import { addresses, allocation, collectors, movedBetween, target } from "./support.ts"

describe("consistent-hashing: quality goals on 100k targets over 50 collectors", () => {
  const targets = addresses(100_000).map((a) => target("j", a))
  const a = allocation(consistentHashing)
  a.setCollectors(collectors(50))
  a.add(targets)
  const before = a.assignment()

  it("keeps every collector within 1.05 × the mean", () => {
    const loads = a.loads()
    expect(loads.length).toBe(50)
    expect(loads.reduce((x, y) => x + y, 0)).toBe(100_000)
    expect(Math.max(...loads) / (100_000 / 50)).toBeLessThanOrEqual(1.05)
  })

  it("moves at most 1.2 × the ideal share when a collector joins, and back when it leaves", () => {
    const joined = a.setCollectors(collectors(51))
    const after = a.assignment()
    const moved = movedBetween(before, after)
    expect(moved / 100_000).toBeLessThanOrEqual(1.2 / 51)
    expect(joined.moved).toBe(moved)
    // Pure function of the sets: leaving again gives the first assignment back.
    a.setCollectors(collectors(50))
    expect(a.assignment()).toEqual(before)
  })

  it("moves, besides a departed collector's own targets, at most 0.5% of the targets", () => {
    const gone = "collector-17"
    const own = [...before.values()].filter((c) => c === gone).length
    a.setCollectors(collectors(50).filter((c) => c.name !== gone))
    const after = a.assignment()
    expect(movedBetween(before, after, gone) / 100_000).toBeLessThanOrEqual(0.005)
    expect(movedBetween(before, after)).toBeGreaterThanOrEqual(own)
    for (const c of after.values()) expect(c).not.toBe(gone)
    a.setCollectors(collectors(50))
  })
})

describe("consistent-hashing", () => {
  const targets = addresses(2000).map((addr, i) => target(`job-${i % 7}`, addr))

  it("assigns every target to exactly one live collector", () => {
    const a = allocation(consistentHashing)
    a.setCollectors(collectors(5))
    a.add(targets)
    const assigned = a.assignment()
    expect(assigned.size).toBe(targets.length)
    const live = new Set(collectors(5).map((c) => c.name))
    for (const c of assigned.values()) expect(live.has(c!)).toBe(true)
    expect(a.state.unassigned).toBe(0)
    expect(a.loads().reduce((x, y) => x + y, 0)).toBe(targets.length)
  })

  it("is a pure function of the targets and collectors, whatever the order and batching of events", () => {
    fc.assert(fc.property(
      fc.shuffledSubarray(targets, { minLength: 50, maxLength: 300 }),
      fc.integer({ min: 1, max: 8 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 5 }),
      (ts, n, collectorsFirst, chunks) => {
        const a = allocation(consistentHashing)
        a.setCollectors(collectors(n))
        a.add(ts)
        const b = allocation(consistentHashing)
        const reversed = [...ts].reverse()
        const size = Math.ceil(reversed.length / chunks)
        const addInChunks = () => {
          for (let i = 0; i < reversed.length; i += size) b.add(reversed.slice(i, i + size))
        }
        if (!collectorsFirst) addInChunks()
        b.setCollectors([...collectors(n + 2)].reverse())
        b.setCollectors(collectors(n))
        if (collectorsFirst) addInChunks()
        expect(b.assignment()).toEqual(a.assignment())
      }
    ), { numRuns: 40 })
  })

  type Target = ReturnType<typeof target>
  interface Step {
    readonly add: ReadonlyArray<Target>
    readonly remove: ReadonlyArray<Target>
    /** A target of `all`, by index, moved to another address (same identity). */
    readonly readdress: ReadonlyArray<readonly [number, string]>
    readonly collectors: ReadonlyArray<Collector> | undefined
  }
  const stepOf = (all: ReadonlyArray<Target>, pool: ReadonlyArray<string>, sizes: { add: number; remove: number }, fleets: fc.Arbitrary<ReadonlyArray<Collector> | undefined>): fc.Arbitrary<Step> =>
    fc.record({
      add: fc.subarray([...all], { maxLength: sizes.add }),
      remove: fc.subarray([...all], { maxLength: sizes.remove }),
      readdress: fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), fc.constantFrom(...pool)), { maxLength: 10 }),
      collectors: fleets
    })

  /** Applies each step as one batch, from `start` on `fleet`, and compares with a fresh start after each. */
  const matchesFreshStarts = (all: ReadonlyArray<Target>, start: ReadonlyArray<Target>, fleet: ReadonlyArray<Collector>, steps: ReadonlyArray<Step>) => {
    const a = allocation(consistentHashing)
    const current = new Map(start.map((t) => [t.id, t]))
    a.setCollectors(fleet)
    a.add(start)
    for (const s of steps) {
      a.batch((o) => {
        const added = s.add.filter((t) => !current.has(t.id))
        for (const t of added) current.set(t.id, t)
        o.add(added)
        const moved = s.readdress.flatMap(([i, address]) => {
          const was = current.get(all[i]!.id)
          return was === undefined || was.address === address ? [] : [target(was.job, address, {}, was.id)]
        })
        for (const t of moved) current.set(t.id, t)
        o.update([...new Map(moved.map((t) => [t.id, t])).values()])
        const removed = s.remove.filter((t) => current.has(t.id))
        for (const t of removed) current.delete(t.id)
        o.remove(removed)
        if (s.collectors !== undefined) o.setCollectors((fleet = s.collectors))
      })
      const fresh = allocation(consistentHashing)
      fresh.batch((o) => {
        o.setCollectors(fleet)
        o.add([...current.values()])
      })
      expect(a.assignment()).toEqual(fresh.assignment())
    }
  }

  it("after any sequence of batches (targets added, removed, moved to another address, collectors changed), assigns as a fresh start would", () => {
    // Few addresses, shared across jobs, so keys gain and lose members; a readdressed target keeps its identity.
    const pool = addresses(40)
    const all = ["a", "b", "c"].flatMap((job) => pool.slice(0, 30).map((address) => target(job, address)))
    // Any subset: a collector leaving from the middle renumbers those after it.
    const step = stepOf(all, pool, { add: 40, remove: 20 }, fc.option(fc.subarray(collectors(8)), { nil: undefined }))
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => matchesFreshStarts(all, [], collectors(3), steps)), {
      numRuns: 200
    })
  })

  it("after small batches on many keys per collector (the keys before a checkpoint kept, only those after placed again), assigns as a fresh start would", () => {
    // Hundreds of keys per collector: no collector fills up before most checkpoints, so a batch places only the keys
    // after the last it leaves natural, from the loads there; once the keys it made outgrow a share of the columns
    // they are merged in. Two jobs share addresses, so keys weigh 1 or 2.
    const pool = addresses(4000)
    const all = ["a", "b"].flatMap((job) => pool.map((address) => target(job, address)))
    const fleets = fc.option(fc.constantFrom(collectors(3), collectors(4), collectors(5)), { nil: undefined, freq: 8 })
    const step = stepOf(all, pool, { add: 80, remove: 80 }, fleets)
    const start = all.filter((_, i) => i % 4 === 0)
    fc.assert(fc.property(fc.array(step, { minLength: 4, maxLength: 12 }), (steps) => matchesFreshStarts(all, start, collectors(4), steps)), {
      numRuns: 30
    })
  })

  it("holds the balance and churn bounds on random fleets", () => {
    fc.assert(fc.property(
      fc.integer({ min: 5_000, max: 20_000 }),
      fc.integer({ min: 2, max: 40 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (count, n, offset) => {
        const ts = addresses(count, offset).map((addr) => target("j", addr))
        const a = allocation(consistentHashing)
        a.setCollectors(collectors(n))
        a.add(ts)
        expect(Math.max(...a.loads()) / (count / n)).toBeLessThanOrEqual(1.05 + n / count)
        const before = a.assignment()
        a.setCollectors(collectors(n + 1))
        // The fair share, plus the noise of a few thousand keys.
        expect(movedBetween(before, a.assignment()) / count).toBeLessThanOrEqual(1.2 / (n + 1) + 0.01)
      }
    ), { numRuns: 8 })
  })

  it("keys on the address: the same address lands on the same collector in every job, and keeps it when labels change", () => {
    const a = allocation(consistentHashing)
    a.setCollectors(collectors(8))
    const t1 = target("a", "10.1.1.1:80")
    const t2 = target("b", "10.1.1.1:80")
    a.add([t1, t2])
    const before = a.assignment()
    expect(before.get("a|10.1.1.1:80")).toBe(before.get("b|10.1.1.1:80"))
    const relabeled = target("a", "10.1.1.1:80", { __meta_x: "new" }, t1.id)
    const changes = a.update([relabeled])
    expect(a.assignment()).toEqual(before)
    expect(changes.moved).toBe(0)
    expect(changes.changed.filter((p) => p.job === "a").map((p) => p.collector)).toEqual([before.get("a|10.1.1.1:80")])
  })

  it("gives a collector that leaves and comes back within one batch its targets back", () => {
    const a = allocation(consistentHashing)
    a.setCollectors(collectors(1))
    a.add(targets.slice(0, 20))
    a.batch((o) => {
      o.setCollectors([])
      o.setCollectors(collectors(1))
    })
    expect(new Set(a.assignment().values())).toEqual(new Set(["collector-0"]))
    expect(a.state.unassigned).toBe(0)
  })

  it("keeps targets with no collector, and assigns them when one appears", () => {
    const a = allocation(consistentHashing)
    a.add(targets.slice(0, 100))
    expect(a.state.unassigned).toBe(100)
    expect(a.state.byCollector.size).toBe(0)
    a.setCollectors(collectors(2))
    expect(a.state.unassigned).toBe(0)
    a.setCollectors([])
    expect(a.state.unassigned).toBe(100)
    expect(a.state.jobs.size).toBe(7)
  })

  it("forgets removed targets, also those added and removed before being placed", () => {
    const a = allocation(consistentHashing)
    a.setCollectors(collectors(3))
    a.add(targets.slice(0, 10))
    a.remove(targets.slice(0, 5))
    expect(a.assignment().size).toBe(5)
    expect(a.loads().reduce((x, y) => x + y, 0)).toBe(5)
    const changes = a.remove([])
    expect(changes.changed).toEqual([])
  })
})
