/**
 * An open-addressing index from a 53-bit hash to a slot (an index into the caller's columns), in two typed arrays:
 * the key and the slot, per bucket. Used for a job's identities and for consistent hashing's addresses.
 *
 * Why not a `Map<number, …>`: at a million keys a Map's entries and their boxed keys are heap objects the garbage
 * collector visits, its growth reallocates a 30 MB table at a time, and it compacts itself after churn (a pause of
 * hundreds of milliseconds every few updates). Here a removal shifts its probe run back (no tombstones), so the
 * table only ever grows, and only by doubling.
 *
 * Keys may collide (two addresses on one ring position): `find` then tells them apart by the caller's names.
 */
export interface SlotIndex {
  keys: Float64Array
  /** -1: empty. */
  slots: Int32Array
  mask: number
  size: number
  /** Keys are a multiple of this plus a constant (ring positions): the multiple holds the hash's bits. */
  readonly unit: number
}

const EMPTY = -1

const buckets = (capacity: number): Pick<SlotIndex, "keys" | "slots" | "mask"> => ({
  keys: new Float64Array(capacity),
  slots: new Int32Array(capacity).fill(EMPTY),
  mask: capacity - 1
})

export const make = (unit = 1): SlotIndex => ({ ...buckets(1024), size: 0, unit })

const home = (index: SlotIndex, key: number): number => (Math.floor(key / index.unit) >>> 0) & index.mask

/** The slot of `key` (of the one named `name` in `names`, when given), or -1. */
export const find = (index: SlotIndex, key: number, names?: ReadonlyArray<string | undefined>, name?: string): number => {
  const { keys, slots, mask } = index
  for (let b = home(index, key); ; b = (b + 1) & mask) {
    const slot = slots[b]!
    if (slot === EMPTY) return EMPTY
    if (keys[b] === key && (names === undefined || names[slot] === name)) return slot
  }
}

const place = (index: SlotIndex, key: number, slot: number): void => {
  const { keys, slots, mask } = index
  let b = home(index, key)
  while (slots[b] !== EMPTY) b = (b + 1) & mask
  keys[b] = key
  slots[b] = slot
}

/**
 * Room for `size` entries without growing: a batch that brings many keys at once (a first discovery) sizes the
 * table once, rather than through every doubling (each a table of fresh memory to fault in and refill).
 */
export const reserve = (index: SlotIndex, size: number): void => {
  let capacity = index.slots.length
  while (size * 2 > capacity) capacity *= 2
  if (capacity === index.slots.length) return
  const { keys, slots } = index
  Object.assign(index, buckets(capacity))
  for (let b = 0; b < slots.length; b++) if (slots[b] !== EMPTY) place(index, keys[b]!, slots[b]!)
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
  const { keys, slots, mask } = index
  let b = home(index, key)
  for (; slots[b] !== EMPTY; b = (b + 1) & mask) {
    if (keys[b] === key && (names === undefined || names[slots[b]!] === name)) return slots[b]!
  }
  keys[b] = key
  slots[b] = slot
  index.size++
  return slot
}

/** Removes the entry of `slot`, then moves back the entries after it that it was keeping from their home bucket. */
export const remove = (index: SlotIndex, key: number, slot: number): void => {
  const { keys, slots, mask } = index
  let b = home(index, key)
  while (slots[b] !== slot) {
    if (slots[b] === EMPTY) return
    b = (b + 1) & mask
  }
  let hole = b
  for (let next = (hole + 1) & mask; slots[next] !== EMPTY; next = (next + 1) & mask) {
    const h = home(index, keys[next]!)
    // The entry at `next` may fill the hole if its home is not in the cyclic range (hole, next].
    const stays = hole <= next ? hole < h && h <= next : hole < h || h <= next
    if (stays) continue
    keys[hole] = keys[next]!
    slots[hole] = slots[next]!
    hole = next
  }
  slots[hole] = EMPTY
  index.size--
}

/** Every slot, in bucket order: fixed for a given history of insertions and removals. */
export const forEach = (index: SlotIndex, f: (slot: number) => void): void => {
  const slots = index.slots
  for (let b = 0; b < slots.length; b++) if (slots[b] !== EMPTY) f(slots[b]!)
}

/** Empties the index, keeping its table. */
export const clear = (index: SlotIndex): void => {
  index.slots.fill(EMPTY)
  index.size = 0
}
