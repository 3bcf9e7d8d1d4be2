/**
 * `consistent-hashing`: keyed on the target's address, as upstream, so the same address lands on the same collector
 * in every job and keeps it when only its labels change; placed by consistent hashing with bounded loads
 * (ring.ts), which keeps every collector within 4% of the mean. The assignment is a pure function of the addresses
 * and the collector names: every replica agrees, whatever the order of events.
 *
 * The keys are kept in ring order in typed arrays, merged with what changed rather than sorted again, so a batch
 * costs a few linear passes over flat arrays; only the targets whose collector changes are touched.
 */
import { hashString } from "../labels/hash.ts"
import { assignBounded, buildRing, keyPosition, POSITION_UNIT, type Ring } from "./ring.ts"
import type { Assigned, Placer, Strategy } from "./strategy.ts"

/** One address: the targets that share it (one per job that has it), placed together. */
interface Key {
  readonly address: string
  readonly position: number
  readonly members: Array<Assigned>
  /**
   * Where the batch that placed it put it in the columns, -1 before: right during that batch, a guess afterwards
   * (the index is found by position; keeping it true in every key would mean writing to every key whenever one is
   * inserted before it).
   */
  index: number
  /** Its entry in the placer's key table: the columns hold slots, not key references. */
  readonly slot: number
}

/** The owner carried over for a key placed in this batch: its targets are given their owner in join order. */
const FRESH = -2

const RADIX = 2048

const before = (a: Key, b: Key): boolean =>
  a.position < b.position || (a.position === b.position && a.address < b.address)

/**
 * Keys in ring order: by position with an LSD radix sort of its 33 significant bits (positions differ only there;
 * a comparison sort of a million keys costs a second), then equal positions by address.
 */
const sortKeys = (keys: Array<Key>): Array<Key> => {
  const n = keys.length
  if (n < 512) return keys.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  const high = new Float64Array(n)
  for (let i = 0; i < n; i++) high[i] = Math.floor(keys[i]!.position / POSITION_UNIT)
  let from = new Int32Array(n)
  let to = new Int32Array(n)
  for (let i = 0; i < n; i++) from[i] = i
  const counts = new Int32Array(RADIX)
  for (let shift = 1; shift < 2 ** 33; shift *= RADIX) {
    counts.fill(0)
    for (let i = 0; i < n; i++) counts[Math.floor(high[i]! / shift) % RADIX]!++
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d]!
      counts[d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const k = from[i]!
      to[counts[Math.floor(high[k]! / shift) % RADIX]!++] = k
    }
    ;[from, to] = [to, from]
  }
  const sorted = Array.from(from, (i) => keys[i]!)
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && sorted[j]!.position === sorted[i]!.position) j++
    if (j - i > 1) {
      const run = sorted.slice(i, j).sort((a, b) => (a.address < b.address ? -1 : 1))
      for (let r = 0; r < run.length; r++) sorted[i + r] = run[r]!
    }
    i = j
  }
  return sorted
}

/**
 * The placed keys in ring order, as flat columns of which the first `count` entries are used. Each placer keeps
 * two sets and a rebuild writes the spare one, so a batch reuses memory instead of allocating: at a million keys a
 * fresh set of arrays costs more in page faults than the merge that fills it.
 */
interface Columns {
  /** Slots in the key table: a typed array, copied without a write barrier per key. */
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

const makePlacer = (): Placer => {
  const keys = new Map<string, Key>()
  /** Slot → key; slots of departed keys are reused. */
  const table: Array<Key | undefined> = []
  const freeSlots: Array<number> = []
  const slotFor = (): number => freeSlots.pop() ?? table.length
  const release = (key: Key): void => {
    table[key.slot] = undefined
    freeSlots.push(key.slot)
  }
  let cur = columns()
  let spare = columns()
  let count = 0
  /** What `assignBounded` writes, then swapped with `cur.owners`. */
  let assigned: Int32Array<ArrayBufferLike> = new Int32Array(0)
  let names: ReadonlyArray<string> = []
  let ring: Ring = buildRing([])
  let total = 0

  /** Where a placed key is in the columns. */
  const indexOf = (key: Key): number => {
    const positions = cur.positions
    let lo = 0
    let hi = count
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (positions[mid]! < key.position) lo = mid + 1
      else hi = mid
    }
    while (lo < count && cur.order[lo] !== key.slot) lo++
    if (lo === count) throw new Error(`consistent-hashing: key ${key.address} is not placed`)
    return lo
  }

  /**
   * The columns again, without the keys that emptied (weight 0) and with `fresh` (sorted) merged in; owners
   * carried over. The old keys are read from the columns only, so a batch does not visit every key object.
   */
  const rebuild = (fresh: ReadonlyArray<Key>) => {
    const size = keys.size
    reserve(spare, size)
    const { order, positions, weights, owners } = cur
    const next = spare
    const n = count
    let i = 0
    let j = 0
    let k = 0
    while (i < n || j < fresh.length) {
      if (i < n && weights[i] === 0) {
        i++
        continue
      }
      const f = fresh[j]
      const oldFirst = i < n && (f === undefined || positions[i]! < f.position ||
        (positions[i] === f.position && table[order[i]!]!.address < f.address))
      if (oldFirst) {
        next.order[k] = order[i]!
        next.positions[k] = positions[i]!
        next.weights[k] = weights[i]!
        next.owners[k++] = owners[i++]!
      } else {
        j++
        if (f!.members.length === 0) continue
        f!.index = k
        next.order[k] = f!.slot
        next.positions[k] = f!.position
        next.weights[k] = f!.members.length
        next.owners[k++] = FRESH
      }
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
      const moveChanged = (previous: Int32Array, next: Int32Array): void => {
        const keysInOrder = cur.order
        for (let k = 0; k < count; k++) {
          const o = next[k]!
          const was = previous[k]!
          if (o === was || was === FRESH) continue
          const owner = o < 0 ? undefined : names[o]
          for (const a of table[keysInOrder[k]!]!.members) move(a, owner)
        }
      }
      const fresh: Array<Key> = []
      // The weight before this batch of each key that was already placed and was touched: a target replaced by
      // another at the same address changes nothing. Keys new in this batch are in `fresh` instead.
      const touched = new Map<Key, number>()
      const touch = (key: Key): void => {
        if (key.index >= 0 && !touched.has(key)) touched.set(key, key.members.length)
      }
      const join = (a: Assigned): Key => {
        total++
        let key = keys.get(a.target.address)
        if (key === undefined) {
          // Made with its member: an empty array's first push reserves room for 17, at a million keys 130 MB.
          const slot = slotFor()
          key = { address: a.target.address, position: keyPosition(hashString(a.target.address)), members: [a], index: -1, slot }
          table[slot] = key
          keys.set(key.address, key)
          fresh.push(key)
          return key
        }
        touch(key)
        key.members.push(a)
        return key
      }
      const leave = (address: string, isMember: (a: Assigned) => boolean): void => {
        const key = keys.get(address)
        if (key === undefined) return
        const at = key.members.findIndex(isMember)
        if (at < 0) return
        touch(key)
        key.members.splice(at, 1)
        total--
        if (key.members.length === 0) keys.delete(address)
      }

      // Joins first, so that a target replaced at the same address never empties its key. Each target placed in
      // this batch is kept with its key, to give it its key's owner at the end.
      const joined: Array<Assigned> = []
      const joinedKeys: Array<Key> = []
      for (const a of pending.added) {
        joined.push(a)
        joinedKeys.push(join(a))
      }
      for (const { assigned, previous } of pending.updated) {
        if (previous.address === assigned.target.address) continue
        joined.push(assigned)
        joinedKeys.push(join(assigned))
        leave(previous.address, (a) => a === assigned)
      }
      for (const t of pending.removed) leave(t.address, (a) => a.target.job === t.job && a.target.id === t.id)

      let emptied = false
      let reweighed = fresh.length > 0
      touched.forEach((weight, key) => {
        if (key.members.length === weight) return
        reweighed = true
        if (key.members.length === 0) emptied = true
        cur.weights[indexOf(key)] = key.members.length
      })
      if (reweighed || pending.collectorsChanged) {
        if (emptied || fresh.length > 0) rebuild(sortKeys(fresh))
        // Keys that emptied are out of the columns now (those placed before, and new ones that emptied at once).
        touched.forEach((_, key) => {
          if (key.members.length === 0) release(key)
        })
        for (const key of fresh) if (key.members.length === 0) release(key)
        let previous: Int32Array = cur.owners
        if (pending.collectorsChanged) {
          // Owners are indexes into the name list: carry them over to the new one, by name.
          const index = new Map(view.collectors.map((c, i) => [c.name, i]))
          previous = previous.map((o) => (o < 0 ? o : index.get(names[o]!) ?? -1))
          names = view.collectors.map((c) => c.name)
          ring = buildRing(names)
        }
        if (assigned.length < cur.owners.length) assigned = new Int32Array(cur.owners.length)
        assignBounded(ring, cur.positions, cur.weights, count, total, assigned)
        moveChanged(previous, assigned)
        ;[cur.owners, assigned] = [assigned, cur.owners]
      }
      // What joined a key takes its owner (a no-op for the keys whose owner changed, moved above).
      for (let i = 0; i < joined.length; i++) {
        const key = joinedKeys[i]!
        if (key.members.length === 0) continue
        // The index a key was placed at is right if the key is still there (always, in the batch that placed it).
        const o = cur.owners[key.index < count && cur.order[key.index] === key.slot ? key.index : indexOf(key)]!
        move(joined[i]!, o < 0 ? undefined : names[o])
      }
    }
  }
}

export const consistentHashing: Strategy = { name: "consistent-hashing", makePlacer }
