/**
 * `consistent-hashing`: keyed on the target's address, as upstream, so the same address lands on the same collector
 * in every job and keeps it when only its labels change; placed by consistent hashing with bounded loads
 * (ring.ts), which keeps every collector within 4% of the mean. The assignment is a pure function of the addresses
 * and the collector names: every replica agrees, whatever the order of events.
 *
 * The keys are kept in ring order in typed arrays, merged with what changed rather than sorted again, and placed in
 * the same pass: a batch costs one linear pass over flat arrays; only the targets whose collector changes are
 * touched.
 */
import * as Growth from "../collections/growth.ts"
import * as SlotIndex from "../collections/slotIndex.ts"
import { hashString } from "../labels/hash.ts"
import { BoundedAssignment, buildRing, keyPosition, POSITION_UNIT, type Ring } from "./ring.ts"
import type { Placer, Strategy } from "./strategy.ts"

/**
 * The targets (their slots in targets/records.ts) at one address, one per job that has it, placed together; a lone
 * one is kept without an array.
 */
type Members = number | Array<number>

/** The owner before this batch of a key new in it: its targets are given their owner afterwards, in join order. */
const FRESH = -2

const RADIX = 2048

/**
 * Slots in ring order: by position with an LSD radix sort of its 33 significant bits (positions differ only there;
 * a comparison sort of a million keys costs a second), then equal positions by address.
 */
const sortSlots = (slots: Int32Array, positionOf: Float64Array, addressOf: ReadonlyArray<string | undefined>): Int32Array => {
  const n = slots.length
  const byAddress = (a: number, b: number): number => (addressOf[a]! < addressOf[b]! ? -1 : addressOf[a]! > addressOf[b]! ? 1 : 0)
  if (n < 512) return slots.slice().sort((a, b) => positionOf[a]! - positionOf[b]! || byAddress(a, b))
  // The 33 bits as integers: the low 32, and the top one. Three digits of 11 bits: the last is the low word's
  // top 10 bits and the top bit.
  const low = new Uint32Array(n)
  const top = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const high = Math.floor(positionOf[slots[i]!]! / POSITION_UNIT)
    low[i] = high % 2 ** 32
    top[i] = high >= 2 ** 32 ? 1 : 0
  }
  const digit = (k: number, pass: number): number =>
    pass === 0 ? low[k]! & (RADIX - 1) : pass === 1 ? (low[k]! >>> 11) & (RADIX - 1) : (low[k]! >>> 22) | (top[k]! << 10)
  let from = new Int32Array(n)
  let to = new Int32Array(n)
  for (let i = 0; i < n; i++) from[i] = i
  const counts = new Int32Array(RADIX)
  for (let pass = 0; pass < 3; pass++) {
    counts.fill(0)
    for (let i = 0; i < n; i++) counts[digit(i, pass)]!++
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d]!
      counts[d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const k = from[i]!
      to[counts[digit(k, pass)]!++] = k
    }
    ;[from, to] = [to, from]
  }
  const sorted = to
  for (let i = 0; i < n; i++) sorted[i] = slots[from[i]!]!
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && positionOf[sorted[j]!] === positionOf[sorted[i]!]) j++
    if (j - i > 1) sorted.subarray(i, j).sort(byAddress)
    i = j
  }
  return sorted
}

/**
 * The placed keys in ring order, as flat columns of which the first `count` entries are used: positions and weights
 * are the slot columns' copies in ring order, so the pass over every key reads memory in order. Each placer keeps
 * two sets and a merge writes the spare one, so a batch reuses memory instead of allocating: at a million keys a
 * fresh set of arrays costs more in page faults than the merge that fills it.
 */
interface Columns {
  /** The key's slot. */
  order: Int32Array
  positions: Float64Array
  weights: Int32Array
  owners: Int32Array<ArrayBufferLike>
}

const columns = (): Columns => ({
  order: new Int32Array(0),
  positions: new Float64Array(0),
  weights: new Int32Array(0),
  owners: new Int32Array(0)
})

/** Room for `size` entries, with headroom so that growing by a few keys per batch does not reallocate each time. */
const reserve = (c: Columns, size: number): void => {
  if (c.positions.length >= size) return
  const capacity = Math.ceil(size * 1.25) + 16
  c.order = new Int32Array(capacity)
  c.positions = new Float64Array(capacity)
  c.weights = new Int32Array(capacity)
  c.owners = new Int32Array(capacity)
}

/** `array` with room for `size` entries: doubled, or at once to `size` for a batch of many keys. */
const makePlacer = (): Placer => {
  /**
   * Every key (address) has a slot, and what is known of it is in columns indexed by slot: no object per key. Slots
   * of departed keys are reused.
   */
  const addressOf: Array<string | undefined> = []
  const membersOf: Array<Members | undefined> = []
  /** Slots made so far: the columns may be longer. */
  let slots = 0
  /** How many members: the merge reads it in ring order, where reading the member objects would jump about memory. */
  let sizeOf = new Int32Array(1024)
  let positionOf = new Float64Array(1024)
  /** Where the batch that placed the key put it in the columns, -1 before: right during that batch, a guess after. */
  let placedAt = new Int32Array(1024)
  const freeSlots: Array<number> = []
  const index = SlotIndex.make(POSITION_UNIT)

  /** Room for `more` keys beyond those there are, sized once for a batch of many. */
  const reserveKeys = (more: number): void => {
    const size = slots + more
    Growth.reserve(addressOf, size, undefined)
    Growth.reserve(membersOf, size, undefined)
    positionOf = Growth.grown(positionOf, size, (n) => new Float64Array(n))
    placedAt = Growth.grown(placedAt, size, (n) => new Int32Array(n))
    sizeOf = Growth.grown(sizeOf, size, (n) => new Int32Array(n))
    SlotIndex.reserve(index, index.size + more)
  }

  /** The slot a new key would take. */
  const nextSlot = (): number => {
    if (freeSlots.length > 0) return freeSlots[freeSlots.length - 1]!
    reserveKeys(1)
    return slots
  }
  /** Fills in `slot` (from `nextSlot`, indexed already) for a new key. */
  const newSlot = (slot: number, address: string, position: number, first: number): void => {
    if (slot === slots) slots++
    else freeSlots.pop()
    addressOf[slot] = address
    membersOf[slot] = first
    positionOf[slot] = position
    placedAt[slot] = -1
    sizeOf[slot] = 1
  }
  const release = (slot: number): void => {
    addressOf[slot] = undefined
    membersOf[slot] = undefined
    freeSlots.push(slot)
  }

  let cur = columns()
  let spare = columns()
  let count = 0
  let names: ReadonlyArray<string> = []
  let ring: Ring = buildRing([])
  let total = 0

  /** The slot of an address, -1 if it has none; its position is computed when not given. */
  const slotOf = (address: string, position = keyPosition(hashString(address))): number =>
    SlotIndex.find(index, position, addressOf, address)

  /** An owner (an index into the names, -1 for none) by name. */
  const nameOf = (o: number): string | undefined => (o < 0 ? undefined : names[o])

  /** Where a placed key is in the columns. */
  const columnOf = (slot: number): number => {
    const at = placedAt[slot]!
    if (at >= 0 && at < count && cur.order[at] === slot) return at
    const positions = cur.positions
    const position = positionOf[slot]!
    let lo = 0
    let hi = count
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (positions[mid]! < position) lo = mid + 1
      else hi = mid
    }
    while (lo < count && cur.order[lo] !== slot) lo++
    if (lo === count) throw new Error(`consistent-hashing: key ${addressOf[slot]} is not placed`)
    return lo
  }

  /**
   * Every key placed again, in ring order, in one pass: with `fresh` (sorted) merged in and the keys that emptied
   * (weight 0) left out, into the spare columns, when there are such; in place otherwise. `moved` is told of each
   * key placed before whose owner changed (`was` maps old owners to the current names' indexes, when they changed);
   * keys new in this batch are not its to tell. Old keys are read from the columns only, so a batch does not visit
   * every key.
   */
  const place = (
    fresh: Int32Array | undefined,
    bounded: BoundedAssignment,
    was: Int32Array | undefined,
    moved: (slot: number, owner: number) => void
  ): void => {
    const { order, positions, weights, owners } = cur
    const n = count
    /** The owner of the key at `k` before this batch, as an index into the current names. */
    const before = (k: number): number => (was === undefined || owners[k]! < 0 ? owners[k]! : was[owners[k]!]!)
    if (fresh === undefined) {
      for (let k = 0; k < n; k++) {
        const previous = before(k)
        const o = bounded.owner(positions[k]!, weights[k]!)
        owners[k] = o
        if (o !== previous) moved(order[k]!, o)
      }
      return
    }
    reserve(spare, index.size)
    const next = spare
    let i = 0
    let j = 0
    let k = 0
    while (i < n || j < fresh.length) {
      if (i < n && weights[i] === 0) {
        i++
        continue
      }
      const f = j < fresh.length ? fresh[j]! : -1
      const oldFirst = i < n && (f < 0 || positions[i]! < positionOf[f]! ||
        (positions[i] === positionOf[f] && addressOf[order[i]!]! < addressOf[f]!))
      let slot: number
      let position: number
      let weight: number
      let previous = FRESH
      if (oldFirst) {
        slot = order[i]!
        position = positions[i]!
        weight = weights[i]!
        previous = before(i)
        i++
      } else {
        j++
        weight = sizeOf[f]!
        if (weight === 0) continue
        slot = f
        position = positionOf[f]!
        placedAt[f] = k
      }
      const o = bounded.owner(position, weight)
      next.order[k] = slot
      next.positions[k] = position
      next.weights[k] = weight
      next.owners[k++] = o
      if (o !== previous && previous !== FRESH) moved(slot, o)
    }
    spare = cur
    cur = next
    count = k
  }

  return {
    settle: (view, pending, move) => {
      /**
       * The members of every key whose owner changed go to the new owner; those of keys new in this batch are
       * moved below, in the order they joined, which is close to the order they sit in memory (ring order is
       * random, and at a million keys each step would miss the caches).
       */
      const moveAll = (slot: number, o: number): void => {
        const m = membersOf[slot]
        const owner = nameOf(o)
        if (m === undefined) return
        if (!Array.isArray(m)) return move(m, owner)
        for (const t of m) move(t, owner)
      }
      const fresh = { slots: new Int32Array(pending.added.length + pending.updated.length), count: 0 }
      // The weight before this batch of each key that was already placed and was touched: a target replaced by
      // another at the same address changes nothing. Keys new in this batch are in `fresh` instead.
      const touched = new Map<number, number>()
      const touch = (slot: number): void => {
        if (placedAt[slot]! >= 0 && !touched.has(slot)) touched.set(slot, sizeOf[slot]!)
      }
      const join = (t: number): number => {
        total++
        const address = view.targetOf(t).address
        const position = keyPosition(hashString(address))
        const next = nextSlot()
        const slot = SlotIndex.findOrInsert(index, position, next, addressOf, address)
        if (slot === next) {
          newSlot(slot, address, position, t)
          fresh.slots[fresh.count++] = slot
          return slot
        }
        touch(slot)
        const m = membersOf[slot]!
        if (Array.isArray(m)) m.push(t)
        else membersOf[slot] = [m, t]
        sizeOf[slot]!++
        return slot
      }
      const leave = (address: string, t: number): void => {
        const position = keyPosition(hashString(address))
        const slot = slotOf(address, position)
        if (slot < 0) return
        const m = membersOf[slot]!
        const at = Array.isArray(m) ? m.indexOf(t) : m === t ? 0 : -1
        if (at < 0) return
        touch(slot)
        total--
        sizeOf[slot]!--
        if (Array.isArray(m) && m.length > 1) {
          m.splice(at, 1)
          return
        }
        membersOf[slot] = undefined
        SlotIndex.remove(index, position, slot)
      }

      // Joins first, so that a target replaced at the same address never empties its key. Each target placed in
      // this batch is kept with its key's slot, to give it its key's owner at the end.
      const added = pending.added
      if (added.length > 1024) reserveKeys(added.length)
      const readdressed: Array<number> = []
      const joinedSlots = new Int32Array(added.length + pending.updated.length)
      for (let i = 0; i < added.length; i++) joinedSlots[i] = join(added[i]!)
      for (const { slot: t, previous } of pending.updated) {
        if (previous.address === view.targetOf(t).address) continue
        joinedSlots[added.length + readdressed.push(t) - 1] = join(t)
        leave(previous.address, t)
      }
      for (const { slot: t, target } of pending.removed) leave(target.address, t)

      let emptied = false
      const joined = fresh.slots.subarray(0, fresh.count)
      let reweighed = joined.length > 0
      touched.forEach((weight, slot) => {
        const now = sizeOf[slot]!
        if (now === weight) return
        reweighed = true
        if (now === 0) emptied = true
        cur.weights[columnOf(slot)] = now
      })
      if (reweighed || pending.collectorsChanged) {
        let was: Int32Array | undefined
        if (pending.collectorsChanged) {
          // Owners are indexes into the name list: carried over to the new one, by name (-1: gone).
          const byName = new Map(view.collectors.map((c, i) => [c.name, i]))
          was = Int32Array.from(names, (name) => byName.get(name) ?? -1)
          names = view.collectors.map((c) => c.name)
          ring = buildRing(names)
        }
        const bounded = new BoundedAssignment(ring, total)
        place(emptied || joined.length > 0 ? sortSlots(joined, positionOf, addressOf) : undefined, bounded, was, moveAll)
        // Keys that emptied are out of the columns now (those placed before, and new ones that emptied at once).
        touched.forEach((_, slot) => {
          if (sizeOf[slot] === 0) release(slot)
        })
        for (const slot of joined) if (sizeOf[slot] === 0) release(slot)
      }
      const toKeyOwner = (t: number, slot: number): void => {
        if (slot >= 0 && sizeOf[slot]! > 0) move(t, nameOf(cur.owners[columnOf(slot)]!))
      }
      // Targets whose collector left take their key's owner again: moved above if it changed, but it may be the
      // same collector, gone and back within the batch, which the columns never saw leave.
      for (const t of pending.orphaned) if (view.collectorOf(t) === undefined) toKeyOwner(t, slotOf(view.targetOf(t).address))
      // What joined a key takes its owner (a no-op for the keys whose owner changed, moved above).
      for (let i = 0; i < added.length; i++) toKeyOwner(added[i]!, joinedSlots[i]!)
      for (let i = 0; i < readdressed.length; i++) toKeyOwner(readdressed[i]!, joinedSlots[added.length + i]!)
    }
  }
}

export const consistentHashing: Strategy = { name: "consistent-hashing", makePlacer }
