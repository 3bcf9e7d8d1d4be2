/**
 * An open-addressing index from a 53-bit hash to a slot (an index into the caller's columns), in one typed array:
 * per bucket, the low 32 bits of the key and the slot, side by side, so a probe reads one cache line. Used for a
 * job's identities and for consistent hashing's addresses.
 *
 * Why not a `Map<number, …>`: at a million keys a Map's entries and their boxed keys are heap objects the garbage
 * collector visits, its growth reallocates a 30 MB table at a time, and it compacts itself after churn (a pause of
 * hundreds of milliseconds every few updates). Here a removal shifts its probe run back (no tombstones), so the
 * table only ever grows, and only by doubling.
 *
 * The full key is the caller's (`keyOf`, by slot): a bucket whose low bits match is checked against it, which for
 * keys in one probe run (already equal in the bits that chose the bucket) is one time in thousands. Two arrays of
 * whole keys and slots took 12 bytes a bucket and two cache misses a probe; this takes 8 and one.
 *
 * Keys may collide (two addresses on one ring position): `find` then tells them apart by the caller's names.
 */
export interface SlotIndex {
  /** Per bucket: the key's low 32 bits (as a multiple of `unit`), then its slot, -1 for an empty bucket. */
  cells: Int32Array
  mask: number
  size: number
  /** Keys are a multiple of this plus a constant (ring positions): the multiple holds the hash's bits. */
  readonly unit: number
  /** The key of a slot in the index. */
  readonly keyOf: (slot: number) => number
}

const EMPTY = -1

const buckets = (capacity: number): Pick<SlotIndex, "cells" | "mask"> => ({
  cells: new Int32Array(2 * capacity).fill(EMPTY),
  mask: capacity - 1
})

export const make = (keyOf: (slot: number) => number, unit = 1): SlotIndex => ({ ...buckets(1024), size: 0, unit, keyOf })

/** The key's low 32 bits: its home bucket is their lowest bits. */
const lowBits = (index: SlotIndex, key: number): number => Math.floor(key / index.unit) | 0

/** The bucket (its first cell) of the entry for `key` (named `name` in `names`, when given), or of the empty one ending its run. */
const probe = (index: SlotIndex, key: number, names?: ReadonlyArray<string | undefined>, name?: string): number => {
  const { cells, mask } = index
  const low = lowBits(index, key)
  for (let b = low & mask; ; b = (b + 1) & mask) {
    const slot = cells[2 * b + 1]!
    if (slot === EMPTY) return 2 * b
    if (cells[2 * b] === low && (names === undefined ? index.keyOf(slot) === key : names[slot] === name)) return 2 * b
  }
}

/** The slot of `key` (of the one named `name` in `names`, when given), or -1. */
export const find = (index: SlotIndex, key: number, names?: ReadonlyArray<string | undefined>, name?: string): number =>
  index.cells[probe(index, key, names, name) + 1]!

const place = (index: SlotIndex, low: number, slot: number): void => {
  const { cells, mask } = index
  let b = low & mask
  while (cells[2 * b + 1] !== EMPTY) b = (b + 1) & mask
  cells[2 * b] = low
  cells[2 * b + 1] = slot
}

/**
 * Room for `size` entries without growing: a batch that brings many keys at once (a first discovery) sizes the
 * table once, rather than through every doubling (each a table of fresh memory to fault in and refill).
 */
export const reserve = (index: SlotIndex, size: number): void => {
  let capacity = index.cells.length / 2
  while (size * 2 > capacity) capacity *= 2
  if (capacity === index.cells.length / 2) return
  const cells = index.cells
  Object.assign(index, buckets(capacity))
  for (let c = 0; c < cells.length; c += 2) if (cells[c + 1] !== EMPTY) place(index, cells[c]!, cells[c + 1]!)
}

/**
 * The slot of `key` (of the one named `name`, when names are given) if there is one; otherwise `slot`, inserted
 * under `key`: one probe where `find` then `insert` take two (a million keys in a first discovery).
 */
export const findOrInsert = (
  index: SlotIndex,
  key: number,
  slot: number,
  names?: ReadonlyArray<string | undefined>,
  name?: string
): number => {
  reserve(index, index.size + 1)
  const cells = index.cells
  const at = probe(index, key, names, name)
  if (cells[at + 1] !== EMPTY) return cells[at + 1]!
  cells[at] = lowBits(index, key)
  cells[at + 1] = slot
  index.size++
  return slot
}

/** Removes the entry of `slot`, then moves back the entries after it that it was keeping from their home bucket. */
export const remove = (index: SlotIndex, key: number, slot: number): void => {
  const { cells, mask } = index
  let b = lowBits(index, key) & mask
  while (cells[2 * b + 1] !== slot) {
    if (cells[2 * b + 1] === EMPTY) return
    b = (b + 1) & mask
  }
  let hole = b
  for (let next = (hole + 1) & mask; cells[2 * next + 1] !== EMPTY; next = (next + 1) & mask) {
    const h = cells[2 * next]! & mask
    // The entry at `next` may fill the hole if its home is not in the cyclic range (hole, next].
    const stays = hole <= next ? hole < h && h <= next : hole < h || h <= next
    if (stays) continue
    cells[2 * hole] = cells[2 * next]!
    cells[2 * hole + 1] = cells[2 * next + 1]!
    hole = next
  }
  cells[2 * hole + 1] = EMPTY
  index.size--
}

/** Every slot, in bucket order: fixed for a given history of insertions and removals. */
export const forEach = (index: SlotIndex, f: (slot: number) => void): void => {
  const cells = index.cells
  for (let c = 1; c < cells.length; c += 2) if (cells[c] !== EMPTY) f(cells[c]!)
}

/** Empties the index, keeping its table. */
export const clear = (index: SlotIndex): void => {
  index.cells.fill(EMPTY)
  index.size = 0
}
