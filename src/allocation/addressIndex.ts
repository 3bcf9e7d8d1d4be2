/**
 * An open-addressing index from an address to its slot, in two typed arrays: the ring's position of the address
 * (its hash) and the slot, per bucket. The addresses themselves live in the caller's slot column.
 *
 * Why not a `Map<string, …>`: at a million addresses a Map's entries are heap objects the collector visits, its
 * growth reallocates a 30 MB table at a time, and it compacts itself after churn (a pause of hundreds of
 * milliseconds every few updates). Here a removal shifts its probe run back (no tombstones), so the table only ever
 * grows, and only by doubling.
 */
import { POSITION_UNIT } from "./ring.ts"

export interface AddressIndex {
  positions: Float64Array
  /** -1: empty. */
  slots: Int32Array
  mask: number
  size: number
}

const EMPTY = -1

const buckets = (capacity: number): Pick<AddressIndex, "positions" | "slots" | "mask"> => ({
  positions: new Float64Array(capacity),
  slots: new Int32Array(capacity).fill(EMPTY),
  mask: capacity - 1
})

export const make = (): AddressIndex => ({ ...buckets(1024), size: 0 })

/** Positions are a multiple of the unit plus a constant: the multiple holds the hash's bits. */
const home = (index: AddressIndex, position: number): number => (Math.floor(position / POSITION_UNIT) >>> 0) & index.mask

/** The slot of `address` (whose position is `position`), or -1. */
export const find = (
  index: AddressIndex,
  position: number,
  address: string,
  addressOf: ReadonlyArray<string | undefined>
): number => {
  const { positions, slots, mask } = index
  for (let b = home(index, position); ; b = (b + 1) & mask) {
    const slot = slots[b]!
    if (slot === EMPTY) return EMPTY
    if (positions[b] === position && addressOf[slot] === address) return slot
  }
}

const place = (index: AddressIndex, position: number, slot: number): void => {
  const { positions, slots, mask } = index
  let b = home(index, position)
  while (slots[b] !== EMPTY) b = (b + 1) & mask
  positions[b] = position
  slots[b] = slot
}

/** Adds an address known to be absent. */
export const insert = (index: AddressIndex, position: number, slot: number): void => {
  if ((index.size + 1) * 2 > index.slots.length) {
    const { positions, slots } = index
    Object.assign(index, buckets(slots.length * 2))
    for (let b = 0; b < slots.length; b++) if (slots[b] !== EMPTY) place(index, positions[b]!, slots[b]!)
  }
  place(index, position, slot)
  index.size++
}

/** Removes the entry of `slot`, then moves back the entries after it that it was keeping from their home bucket. */
export const remove = (index: AddressIndex, position: number, slot: number): void => {
  const { positions, slots, mask } = index
  let b = home(index, position)
  while (slots[b] !== slot) {
    if (slots[b] === EMPTY) return
    b = (b + 1) & mask
  }
  let hole = b
  for (let next = (hole + 1) & mask; slots[next] !== EMPTY; next = (next + 1) & mask) {
    const h = home(index, positions[next]!)
    // The entry at `next` may fill the hole if its home is not in the cyclic range (hole, next].
    const stays = hole <= next ? hole < h && h <= next : hole < h || h <= next
    if (stays) continue
    positions[hole] = positions[next]!
    slots[hole] = slots[next]!
    hole = next
  }
  slots[hole] = EMPTY
  index.size--
}
