import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as SlotIndex from "../../src/collections/slotIndex.ts"
import { keyPosition, POSITION_UNIT } from "../../src/allocation/ring.ts"

/**
 * Addresses whose positions crowd a few home buckets (a multiple of 1024 apart), so probe runs are long, wrap
 * around the table's end, and removals have entries to shift back; two addresses share each position.
 */
const positionOf = (k: number): number => keyPosition(((k >> 1) % 7 + 1021 + 1024 * (k >> 4)) * POSITION_UNIT)
const addressOf = (k: number): string => `10.0.${k >> 8}.${k & 255}:9100`

describe("SlotIndex", () => {
  it("finds what a Map would after any sequence of insertions and removals, through growth", () => {
    fc.assert(
      // Two adds to one removal: past 512 entries the table grows.
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1500 })), { minLength: 500, maxLength: 4000 }), (ops) => {
        const addresses: Array<string | undefined> = []
        const positions: Array<number> = []
        const index = SlotIndex.make((slot) => positions[slot]!, POSITION_UNIT)
        const model = new Map<number, number>()
        for (const [op, k] of ops) {
          const add = op > 0
          if (add) {
            // A new slot for an absent address; the one it has for a present one.
            const slot = addresses.length
            const found = SlotIndex.findOrInsert(index, positionOf(k), slot, addresses, addressOf(k))
            expect(found).toBe(model.get(k) ?? slot)
            if (found === slot) {
              addresses.push(addressOf(k))
              positions.push(positionOf(k))
              model.set(k, slot)
            }
          } else if (model.has(k)) {
            SlotIndex.remove(index, positionOf(k), model.get(k)!)
            model.delete(k)
          }
        }
        expect(index.size).toBe(model.size)
        for (let k = 0; k <= 1500; k++) {
          expect(SlotIndex.find(index, positionOf(k), addresses, addressOf(k))).toBe(model.get(k) ?? -1)
        }
      }),
      { numRuns: 40 }
    )
  })

  it("tells apart keys that share the bits it keeps, by the caller's keys", () => {
    // Identities as a job's targets index them (no names): keys equal in their low 32 bits, and in a few home
    // buckets, differing only above them.
    const keyOf = (k: number): number => (k % 5) * 1024 + 7 + 2 ** 32 * (1 + Math.floor(k / 5))
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 800 })), { minLength: 200, maxLength: 3000 }), (ops) => {
        const keys: Array<number> = []
        const index = SlotIndex.make((slot) => keys[slot]!)
        const model = new Map<number, number>()
        for (const [add, k] of ops) {
          if (add) {
            const found = SlotIndex.findOrInsert(index, keyOf(k), keys.length)
            expect(found).toBe(model.get(k) ?? keys.length)
            if (found === keys.length) {
              model.set(k, keys.length)
              keys.push(keyOf(k))
            }
          } else if (model.has(k)) {
            SlotIndex.remove(index, keyOf(k), model.get(k)!)
            model.delete(k)
          }
        }
        expect(index.size).toBe(model.size)
        for (let k = 0; k <= 800; k++) expect(SlotIndex.find(index, keyOf(k))).toBe(model.get(k) ?? -1)
      }),
      { numRuns: 40 }
    )
  })

  it("tells apart two addresses at the same position", () => {
    const position = keyPosition(42 * POSITION_UNIT)
    const index = SlotIndex.make(() => position, POSITION_UNIT)
    const addresses = ["a:1", "b:1"]
    expect(SlotIndex.findOrInsert(index, position, 0, addresses, "a:1")).toBe(0)
    expect(SlotIndex.findOrInsert(index, position, 1, addresses, "b:1")).toBe(1)
    expect(SlotIndex.findOrInsert(index, position, 2, addresses, "b:1")).toBe(1)
    expect(SlotIndex.find(index, position, addresses, "b:1")).toBe(1)
    SlotIndex.remove(index, position, 0)
    expect(SlotIndex.find(index, position, addresses, "a:1")).toBe(-1)
    expect(SlotIndex.find(index, position, addresses, "b:1")).toBe(1)
  })
})
