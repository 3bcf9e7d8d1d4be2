import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as L from "../../src/labels/labels.ts"
import { DROPPED, unfiltered } from "../../src/targets/build.ts"
import * as JT from "../../src/targets/jobTargets.ts"
import * as Records from "../../src/targets/records.ts"
import { labelOf, labelsOf } from "../../src/targets/target.ts"
import { group, groupOf } from "../support/targets.ts"

const addresses = (ts: ReadonlyArray<{ readonly address: string }>) => ts.map((t) => t.address).sort()
/** The copies `slots` serve. */
const targetsOf = (s: JT.JobTargets, slots: ReadonlyArray<number>) => slots.map((slot) => Records.served(s.records, slot)!)
/** The copies removals report: those served until then. */
const removedOf = (removed: JT.TargetDiff["removed"]) => removed.map((r) => r.target)
const apply = (s: JT.JobTargets, provider: string, ...groups: Array<ReturnType<typeof group>>) => {
  const diff = JT.emptyDiff()
  JT.applyGroups(s, provider, groups, diff)
  return diff
}

describe("a job's targets", () => {
  it("merges group and target labels and keeps the discovered address", () => {
    const s = JT.make("j", unfiltered("j"))
    const d = apply(s, "p", groupOf("0", [{ __address__: "a:1", env: "t" }], { env: "g", team: "x" }))
    expect(targetsOf(s, d.added).map((t) => L.toRecord(labelsOf(t)))).toEqual([{ __address__: "a:1", env: "t", team: "x" }])
    expect(targetsOf(s, d.added)[0]!.address).toBe("a:1")
  })

  it("finds the address wherever it sorts among the target's labels, or in its group's", () => {
    const s = JT.make("j", unfiltered("j"))
    // "Zone" sorts before "__address__"; the second group has its address among the group's labels.
    const d = apply(s, "p", groupOf("0", [{ Zone: "z", __address__: "a:1" }, { __address__: "b:1" }]), groupOf("1", [{ env: "x" }], { __address__: "c:1" }))
    expect(addresses(targetsOf(s, d.added))).toEqual(["a:1", "b:1", "c:1"])
  })

  it("replaces a source's group: unchanged targets report nothing, changes report what changed", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", group("0", ["a:1", "b:1"]))
    expect(JT.isEmptyDiff(apply(s, "p", group("0", ["a:1", "b:1"])))).toBe(true)
    const d = apply(s, "p", group("0", ["b:1", "c:1"]))
    expect(addresses(targetsOf(s, d.added))).toEqual(["c:1"])
    expect(addresses(removedOf(d.removed))).toEqual(["a:1"])
    expect(JT.size(s)).toBe(2)
  })

  it("reports changes right across the wrap of its update numbers, as a long-running process reaches it", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", group("0", ["a:1", "b:1"]))
    // Update number 1 touches a, b and c.
    apply(s, "p", group("0", ["a:1", "b:1", "c:1"]))
    expect(s.records.updates).toBe(1)
    // Numbers run out at the next update, which starts again from 1, and touches a, b and c again.
    s.records.updates = 2 ** 31 - 2
    for (const [now, added, removed] of [[["b:1", "c:1", "d:1"], ["d:1"], ["a:1"]], [["c:1", "e:1"], ["e:1"], ["b:1", "d:1"]], [["a:1", "c:1"], ["a:1"], ["e:1"]]] as const) {
      const d = apply(s, "p", group("0", [...now]))
      expect([addresses(targetsOf(s, d.added)), addresses(removedOf(d.removed))]).toEqual([added, removed])
    }
    expect(s.records.updates).toBe(3)
  })

  it("keeps other sources of the provider when one group changes, and drops a source on an empty group", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", group("0", ["a:1"]), group("1", ["b:1"]))
    const d = apply(s, "p", group("1", []))
    expect(addresses(removedOf(d.removed))).toEqual(["b:1"])
    expect(addresses([...JT.served(s)])).toEqual(["a:1"])
  })

  it("reports a label change of the same target as an update", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", groupOf("0", [{ __address__: "a:1", __meta_pod: "v1" }]))
    const d = apply(s, "p", groupOf("0", [{ __address__: "a:1", __meta_pod: "v2" }]))
    expect(d.added).toEqual([])
    expect(d.removed).toEqual([])
    expect(targetsOf(s, d.updated.map((u) => u.slot)).map((t) => labelOf(t, "__meta_pod"))).toEqual(["v2"])
  })

  it("serves one target per identity, the copy of the smallest source, whatever the arrival order", () => {
    const a = groupOf("a", [{ __address__: "x:1", __meta_from: "a" }])
    const b = groupOf("b", [{ __address__: "x:1", __meta_from: "b" }])
    for (const order of [[a, b], [b, a]]) {
      const s = JT.make("j", unfiltered("j"))
      for (const g of order) apply(s, "p", g)
      expect(JT.size(s)).toBe(1)
      expect([...JT.served(s)].map((t) => labelOf(t, "__meta_from"))).toEqual(["a"])
    }
  })

  it("keeps an identity's slot (so its collector) when its group is replaced, and reports the copy it served", () => {
    const s = JT.make("j", unfiltered("j"))
    const [slot] = apply(s, "p", groupOf("0", [{ __address__: "a:1", __meta_pod: "v1" }])).added
    const first = Records.served(s.records, slot!)
    const d = apply(s, "p", groupOf("0", [{ __address__: "a:1", __meta_pod: "v2" }]))
    expect(d.updated).toEqual([{ slot, previous: first }])
    const second = Records.served(s.records, slot!)!
    expect(labelOf(second, "__meta_pod")).toBe("v2")
    const gone = apply(s, "p", group("0", []))
    // A removal names the copy that was served: the one the collector's document holds.
    expect(gone.removed).toEqual([{ slot, target: second }])
  })

  it("reuses a slot let go only once the allocator has settled it", () => {
    const s = JT.make("j", unfiltered("j"))
    const [slot] = apply(s, "p", group("0", ["a:1"])).added
    apply(s, "p", group("0", []))
    expect(apply(s, "p", group("0", ["b:1"])).added).not.toContain(slot)
    Records.recycle(s.records)
    expect(apply(s, "p", group("1", ["c:1"])).added).toEqual([slot])
  })

  it("falls back to the other copy when the served one goes away, and forgets the identity with the last copy", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", groupOf("a", [{ __address__: "x:1", __meta_from: "a" }]), groupOf("b", [{ __address__: "x:1", __meta_from: "b" }]))
    const d1 = apply(s, "p", group("a", []))
    expect(targetsOf(s, d1.updated.map((u) => u.slot)).map((t) => labelOf(t, "__meta_from"))).toEqual(["b"])
    const d2 = apply(s, "p", group("b", []))
    expect(d2.removed.length).toBe(1)
    expect(JT.size(s)).toBe(0)
  })

  it("counts discovered targets before deduplication", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", group("0", ["a:1", "a:1", "b:1"]))
    expect(s.discovered).toBe(3)
    expect(JT.size(s)).toBe(2)
  })

  it("removes a provider's groups and nothing else", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p1", group("0", ["a:1"]))
    apply(s, "p2", group("0", ["b:1"]))
    const d = JT.emptyDiff()
    JT.removeProvider(s, "p1", d)
    expect(addresses(removedOf(d.removed))).toEqual(["a:1"])
    expect(addresses([...JT.served(s)])).toEqual(["b:1"])
  })

  it("filters every source again with a new filter", () => {
    const s = JT.make("j", unfiltered("j"))
    apply(s, "p", group("0", ["a:1", "b:1"]))
    const d = JT.emptyDiff()
    JT.refilter(s, (g, t) => (L.get(t, "__address__") === "a:1" ? DROPPED : unfiltered("j")(g, t)), d)
    expect(addresses(removedOf(d.removed))).toEqual(["a:1"])
    expect(addresses([...JT.served(s)])).toEqual(["b:1"])
  })
})

describe("a job's targets, kept incrementally", () => {
  type Op =
    | { readonly kind: "groups"; readonly provider: string; readonly groups: ReadonlyArray<{ readonly source: string; readonly targets: ReadonlyArray<readonly [number, number]> }> }
    | { readonly kind: "stop"; readonly provider: string }
  const target = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 }))
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant("groups" as const),
      provider: fc.constantFrom("p", "q"),
      groups: fc.array(fc.record({ source: fc.constantFrom("0", "1", "2"), targets: fc.array(target, { maxLength: 4 }) }), { maxLength: 3 })
    }),
    fc.record({ kind: fc.constant("stop" as const), provider: fc.constantFrom("p", "q") })
  )
  const groupOfOp = (g: { readonly source: string; readonly targets: ReadonlyArray<readonly [number, number]> }) =>
    groupOf(g.source, g.targets.map(([a, m]) => ({ __address__: `10.0.0.${a}:80`, __meta_copy: `${m}` })))
  /** Identity → the labels served. */
  const served = (s: JT.JobTargets) => new Map(JT.slots(s).map((slot) => [s.records.id.get(slot), L.toRecord(labelsOf(Records.served(s.records, slot)!))]))

  it("serves what a fresh start on the same groups serves, and its diffs replay to it, after any sequence of updates", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
      const s = JT.make("j", unfiltered("j"))
      const replayed = new Map<number, Record<string, string>>()
      const current = new Map<string, Map<string, ReturnType<typeof groupOfOp>>>()
      for (const o of ops) {
        const diff = JT.emptyDiff()
        if (o.kind === "groups") {
          const groups = o.groups.map(groupOfOp)
          JT.applyGroups(s, o.provider, groups, diff)
          const byProvider = current.get(o.provider) ?? new Map()
          for (const g of groups) byProvider.set(g.source, g)
          current.set(o.provider, byProvider)
        } else {
          JT.removeProvider(s, o.provider, diff)
          current.delete(o.provider)
        }
        const id = (slot: number) => s.records.id.get(slot)
        for (const { slot, target } of diff.removed) {
          // The copy a removal names is the one served until then.
          expect(L.toRecord(labelsOf(target))).toEqual(replayed.get(id(slot)))
          replayed.delete(id(slot))
        }
        for (const slot of diff.added) {
          expect(replayed.has(id(slot))).toBe(false)
          replayed.set(id(slot), L.toRecord(labelsOf(Records.served(s.records, slot)!)))
        }
        for (const { slot } of diff.updated) {
          expect(replayed.has(id(slot))).toBe(true)
          replayed.set(id(slot), L.toRecord(labelsOf(Records.served(s.records, slot)!)))
        }
        expect(served(s)).toEqual(replayed)
      }
      const fresh = JT.make("j", unfiltered("j"))
      for (const provider of [...current.keys()].reverse()) JT.applyGroups(fresh, provider, [...current.get(provider)!.values()].reverse(), JT.emptyDiff())
      expect(served(s)).toEqual(served(fresh))
    }), { numRuns: 300 })
  })
})
