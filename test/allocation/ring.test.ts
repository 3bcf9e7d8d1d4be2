import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { BoundedAssignment, buildRing, keyPosition, naturalOwners, type Ring } from "../../src/allocation/ring.ts"
import { hashString } from "../../src/labels/hash.ts"

const ringOf = (n: number): Ring => buildRing(Array.from({ length: n }, (_, i) => `collector-${i}`))

/** Positions of `n` keys, ascending. */
const positionsOf = (seed: number, n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => keyPosition(hashString(`10.${seed}.${i >> 8}.${i & 255}:9100`))).sort()

/** The collector of the first point at or after `position`, round the ring: a natural owner by its definition. */
const firstPointOwner = (ring: Ring, position: number): number => {
  const p = ring.points.findIndex((point) => point >= position)
  return ring.ownerOf[p < 0 ? 0 : p]!
}

describe("ring", () => {
  it("gives keys in ring order the collector of the first point at or after each, round the ring", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 300 }), (collectors, seed, keys) => {
        const ring = ringOf(collectors)
        const positions = positionsOf(seed, keys)
        expect([...naturalOwners(ring, positions)]).toEqual([...positions].map((p) => firstPointOwner(ring, p)))
      }),
      { numRuns: 200 }
    )
  })

  it("has no natural owner without collectors", () => {
    expect([...naturalOwners(ringOf(0), positionsOf(1, 3))]).toEqual([-1, -1, -1])
  })

  it("places keys the same on a ring whose earlier passes filled collectors as on a ring just built", () => {
    // Passes share the ring's working memory: what one pass redirected must not show in the next.
    const ring = ringOf(30)
    const pass = (r: Ring, positions: Float64Array) => {
      const bounded = new BoundedAssignment(r, positions.length)
      return [...positions].map((_, i) => bounded.owner(positions, i, 1 + (i % 3)))
    }
    for (const seed of [1, 2, 3]) {
      const positions = positionsOf(seed, 3000)
      expect(pass(ring, positions)).toEqual(pass(ringOf(30), positions))
    }
  })

  it("resumed from the loads of a prefix in which no collector filled, places the rest as the whole pass does", () => {
    // What consistent hashing's checkpoints rely on: where the pass was natural, its loads are all it needs. Tens of
    // collectors and keys, so that collectors fill up in the rest of the ring and keys go past them.
    let displaced = 0
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 100 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2000, max: 8000 }), fc.double({ min: 0.3, max: 1, noNaN: true }), (collectors, seed, keys, share) => {
        const ring = ringOf(collectors)
        const positions = positionsOf(seed, keys)
        const whole = new BoundedAssignment(ring, keys)
        const owners = [...positions].map((_, i) => whole.owner(positions, i, 1))
        const prefix = new BoundedAssignment(ring, keys)
        const cut = Math.floor(share * keys)
        for (let i = 0; i < cut; i++) prefix.owner(positions, i, 1)
        if (!prefix.natural) return
        const resumed = new BoundedAssignment(ring, keys, prefix.loads())
        expect(Array.from({ length: keys - cut }, (_, i) => resumed.owner(positions, cut + i, 1))).toEqual(owners.slice(cut))
        if (!resumed.natural) displaced++
      }),
      { numRuns: 100 }
    )
    expect(displaced).toBeGreaterThan(10)
  })
})
