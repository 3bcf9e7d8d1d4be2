/**
 * `consistent-hashing`: keyed on the target's address, as upstream, so the same address lands on the same collector
 * in every job and keeps it when only its labels change; placed by consistent hashing with bounded loads
 * (ring.ts), which keeps every collector within 4% of the mean. The assignment is a pure function of the addresses
 * and the collector names: every replica agrees, whatever the order of events.
 *
 * The keys are kept in ring order in typed arrays. The first batch, and any change of collectors, places every key
 * in one pass, as the changed keys are merged in. Other batches place only the keys after the last checkpoint they
 * leave natural, from the loads there kept up to date (see CHECKPOINTS): at a million keys over 500 collectors, the
 * last 11% of the ring. New keys wait in a short list in ring order until they are worth merging into the columns.
 * Only the targets whose collector changes are touched.
 */
import * as Growth from "../collections/growth.ts"
import * as Marks from "../collections/marks.ts"
import * as Paged from "../collections/paged.ts"
import * as SlotIndex from "../collections/slotIndex.ts"
import { hashString } from "../labels/hash.ts"
import { BoundedAssignment, buildRing, capacityOf, firstFrom, keyPosition, naturalOwners, POSITION_UNIT, type Ring } from "./ring.ts"
import type { AllocationView, Move, Placer, Strategy } from "./strategy.ts"

/** Keys, each with its weight before the batch. */
interface Reweighed {
  readonly slots: Array<number>
  readonly weights: Array<number>
}

/** The owner before this batch of a key new in it: its targets are given their owner afterwards, in join order. */
const FRESH = -2

const RADIX = 2048

/**
 * Slots in ring order: by position with an LSD radix sort of its 33 significant bits (positions differ only there;
 * a comparison sort of a million keys costs a second), then equal positions by address. Each pass moves the keys'
 * bits along with the slots, so that every pass reads its input in order: reading the bits by slot, in the order
 * of the previous pass, missed the caches once per key and pass.
 */
const sortSlots = (slots: Int32Array, positionOf: Float64Array, addressOf: ReadonlyArray<string | undefined>): Int32Array => {
  const n = slots.length
  const byAddress = (a: number, b: number): number => (addressOf[a]! < addressOf[b]! ? -1 : addressOf[a]! > addressOf[b]! ? 1 : 0)
  if (n < 512) return slots.slice().sort((a, b) => positionOf[a]! - positionOf[b]! || byAddress(a, b))
  // The 33 bits as integers: the low 32, and the top one. Three digits of 11 bits: the last is the low word's
  // top 10 bits and the top bit.
  let low = new Uint32Array(n)
  let top = new Uint8Array(n)
  let order = slots.slice()
  for (let i = 0; i < n; i++) {
    const high = Math.floor(positionOf[order[i]!]! / POSITION_UNIT)
    low[i] = high % 2 ** 32
    top[i] = high >= 2 ** 32 ? 1 : 0
  }
  let nextLow = new Uint32Array(n)
  let nextTop = new Uint8Array(n)
  let nextOrder = new Int32Array(n)
  const counts = new Int32Array(RADIX)
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass
    counts.fill(0)
    for (let i = 0; i < n; i++) counts[pass < 2 ? (low[i]! >>> shift) & (RADIX - 1) : (low[i]! >>> 22) | (top[i]! << 10)]!++
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d]!
      counts[d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const at = counts[pass < 2 ? (low[i]! >>> shift) & (RADIX - 1) : (low[i]! >>> 22) | (top[i]! << 10)]!++
      nextLow[at] = low[i]!
      nextTop[at] = top[i]!
      nextOrder[at] = order[i]!
    }
    ;[low, nextLow] = [nextLow, low]
    ;[top, nextTop] = [nextTop, top]
    ;[order, nextOrder] = [nextOrder, order]
  }
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && low[j] === low[i] && top[j] === top[i]) j++
    if (j - i > 1) order.subarray(i, j).sort(byAddress)
    i = j
  }
  return order
}

/**
 * The placed keys in ring order, as flat columns of which the first `count` entries are used: positions and weights
 * are the slot columns' copies in ring order, so a pass over the keys reads memory in order. Each placer keeps two
 * sets and a merge writes the spare one, so a batch reuses memory instead of allocating: at a million keys a fresh
 * set of arrays costs more in page faults than the merge that fills it. Keys that emptied stay, with weight 0,
 * until the next merge.
 */
interface Columns {
  /** The key's slot. */
  order: Int32Array
  positions: Float64Array
  weights: Int32Array
  /** The key's collector, as `ownerOf` by slot has it: read in ring order, where reading by slot would not be. */
  owners: Int32Array
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

/**
 * Positions along the ring where a pass may resume. While no collector is at its room before a checkpoint, every
 * key before it goes to its natural owner (the collector of the first point after it), whatever the other keys; the
 * loads there are then those natural owners' sums, kept up to date by adding what a batch changes before it. So a
 * batch places only the keys after the last checkpoint it leaves natural, from the loads there.
 *
 * With 1000 points per collector, arcs differ by about 3%, and the busiest collector reaches its room (4% over the
 * mean) at about 91% of the ring for 500 collectors, 95% for 100, 96% for 50; ten may never fill. Checkpoints closer
 * together towards the end let a pass resume near there, and fall back to an earlier checkpoint, not to a whole pass,
 * when a batch fills a collector before the last; a batch that fills one before every checkpoint (skewed addresses)
 * places every key, as the first batch does. Key positions end in all ones below the unit, so none is on a
 * checkpoint.
 */
const CHECKPOINTS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.84, 0.87, 0.89, 0.91, 0.93, 0.95, 0.97, 0.985].map(
  (share) => Math.floor(share * 2 ** 33) * POSITION_UNIT
)

/**
 * Keys not yet in the columns may be this share of them before a merge moves them in; a batch making more new keys
 * than that places every key.
 */
const OVERLAY_SHARE = 16

const makePlacer = (): Placer => {
  /**
   * Every key (address) has a slot, and what is known of it is in columns indexed by slot: no object per key. Slots
   * of departed keys are reused.
   */
  const addressOf: Array<string | undefined> = []
  /**
   * The targets (their slots in targets/records.ts) at each address, one per job that has it, placed together:
   * `sizeOf` tells how many. A lone one, the rule, is kept in a typed column, out of the V8 heap (at a million keys,
   * 8 MB of it to fault in, as an array of references); several are kept in `many`.
   */
  let memberOf = new Int32Array(1024)
  const many = new Map<number, Array<number>>()
  /** Slots made so far: the columns may be longer. */
  let slots = 0
  /** How many members: the merge reads it in ring order, where reading the member objects would jump about memory. */
  let sizeOf = new Int32Array(1024)
  let positionOf = new Float64Array(1024)
  /** Where the key is in the columns, -1 before it is merged in. */
  let placedAt = new Int32Array(1024)
  /** The key's collector, an index into the names; -1 for none, FRESH until the batch that made it places it. */
  let ownerOf = new Int32Array(1024)
  const freeSlots: Array<number> = []
  const index = SlotIndex.make((slot) => positionOf[slot]!, POSITION_UNIT)
  /**
   * Target → the slot of the key it joined: a target leaving finds its key without hashing its address and
   * searching the index for it.
   */
  const keyOf = Paged.int32()

  /** How many slots every column has room for. */
  let room = 0
  /** Room for `more` keys beyond those there are, sized once for a batch of many. */
  const reserveKeys = (more: number): void => {
    // With a quarter more for a batch of many: the next batch's first new key would otherwise double every column
    // (at a million keys, 40 MB copied into fresh memory, a hundred milliseconds of the first update after).
    const size = slots + more + (more >> 2)
    Growth.reserve(addressOf, size, undefined)
    memberOf = Growth.grown(memberOf, size, (n) => new Int32Array(n))
    positionOf = Growth.grown(positionOf, size, (n) => new Float64Array(n))
    placedAt = Growth.grown(placedAt, size, (n) => new Int32Array(n))
    sizeOf = Growth.grown(sizeOf, size, (n) => new Int32Array(n))
    ownerOf = Growth.grown(ownerOf, size, (n) => new Int32Array(n))
    touchedIn = Growth.grown(touchedIn, size, (n) => new Int32Array(n))
    room = Math.min(addressOf.length, memberOf.length, positionOf.length, placedAt.length, sizeOf.length, ownerOf.length, touchedIn.length)
    SlotIndex.reserve(index, index.size + more)
  }

  /** The slot a new key would take. */
  const nextSlot = (): number => {
    if (freeSlots.length > 0) return freeSlots[freeSlots.length - 1]!
    // Checked here rather than in every column: a first batch makes a million keys in room it sized at its start.
    if (slots >= room) reserveKeys(1)
    return slots
  }
  /** Fills in `slot` (from `nextSlot`, indexed already) for a new key. */
  const newSlot = (slot: number, address: string, position: number, first: number): void => {
    if (slot === slots) slots++
    else freeSlots.pop()
    addressOf[slot] = address
    memberOf[slot] = first
    positionOf[slot] = position
    placedAt[slot] = -1
    sizeOf[slot] = 1
    ownerOf[slot] = FRESH
  }
  const release = (slot: number): void => {
    addressOf[slot] = undefined
    freeSlots.push(slot)
  }

  let cur = columns()
  let spare = columns()
  let count = 0
  /** Keys placed but not yet merged into the columns, in ring order. */
  let overlay: Int32Array<ArrayBufferLike> = new Int32Array(0)
  /** Keys emptied since the last merge, which may still be in the columns or the overlay: released by the merge. */
  const emptied: Array<number> = []
  /** The loads by collector before each checkpoint, none full; `undefined` where a collector fills before it. */
  const loadsAt: Array<Int32Array | undefined> = CHECKPOINTS.map(() => undefined)
  let names: ReadonlyArray<string> = []
  let ring: Ring = buildRing([])
  let total = 0

  /** An owner (an index into the names, -1 for none) by name. */
  const nameOf = (o: number): string | undefined => (o < 0 ? undefined : names[o])

  /**
   * What one settle works with: set at its start and read by the functions below, which are made once, with the
   * placer, so that optimized code calling them sees the same function at every batch (a new closure per batch
   * deoptimized the code calling it at each of the first batches, by `--trace-deopt`).
   */
  let view: AllocationView
  let move: Move
  /** The keys made in this batch. */
  let fresh = new Int32Array(0)
  let freshCount = 0
  /**
   * The keys made before this batch that it touched, with their weight before it: a target replaced by another at
   * the same address changes nothing. Keys new in this batch are in `fresh` instead. A key touched is marked with the
   * batch's number in `touchedIn` (collections/marks.ts).
   */
  const touched: Reweighed = { slots: [], weights: [] }
  let touchedIn = new Int32Array(1024)
  let batch = 0

  /**
   * The members of every key whose owner changed go to the new owner; those of keys new in this batch are moved at
   * the end of the batch, in the order they joined, which is close to the order they sit in memory (ring order is
   * random, and at a million keys each step would miss the caches).
   */
  const moveAll = (slot: number, o: number): void => {
    const size = sizeOf[slot]!
    if (size === 0) return
    const owner = nameOf(o)
    if (size === 1) return move(memberOf[slot]!, owner)
    for (const t of many.get(slot)!) move(t, owner)
  }
  const touch = (slot: number): void => {
    if (ownerOf[slot] === FRESH || touchedIn[slot] === batch) return
    touchedIn[slot] = batch
    touched.slots.push(slot)
    touched.weights.push(sizeOf[slot]!)
  }
  const join = (t: number): number => {
    total++
    const address = view.targetOf(t).address
    const position = keyPosition(hashString(address))
    const next = nextSlot()
    const slot = SlotIndex.findOrInsert(index, position, next, addressOf, address)
    keyOf.reserve(t + 1)
    keyOf.set(t, slot)
    if (slot === next) {
      newSlot(slot, address, position, t)
      fresh[freshCount++] = slot
      return slot
    }
    touch(slot)
    if (sizeOf[slot] === 1) many.set(slot, [memberOf[slot]!, t])
    else many.get(slot)!.push(t)
    sizeOf[slot]!++
    return slot
  }
  /** `t` leaves the key at `slot`, which it joined. */
  const leave = (slot: number, t: number): void => {
    const size = sizeOf[slot]!
    const m = size > 1 ? many.get(slot)! : undefined
    const at = m !== undefined ? m.indexOf(t) : size === 1 && memberOf[slot] === t ? 0 : -1
    if (at < 0) return
    touch(slot)
    total--
    sizeOf[slot] = size - 1
    if (m !== undefined) {
      m.splice(at, 1)
      if (m.length === 1) {
        memberOf[slot] = m[0]!
        many.delete(slot)
      }
      return
    }
    SlotIndex.remove(index, positionOf[slot]!, slot)
  }
  const toKeyOwner = (t: number, slot: number): void => {
    if (slot >= 0 && sizeOf[slot]! > 0) move(t, nameOf(ownerOf[slot]!))
  }

  /** Ring order: by position, then by address. */
  const before = (a: number, b: number): boolean =>
    positionOf[a]! < positionOf[b]! || (positionOf[a] === positionOf[b] && addressOf[a]! < addressOf[b]!)

  /**
   * Whether the key at column `i` comes before the overlay's key `f` (-1: none left) in ring order: read from the
   * columns, in order, rather than by slot.
   */
  const columnFirst = (i: number, f: number): boolean => {
    const { order, positions } = cur
    return f < 0 || positions[i]! < positionOf[f]! || (positions[i] === positionOf[f] && addressOf[order[i]!]! < addressOf[f]!)
  }

  /** Two runs of keys in ring order, merged. */
  const mergeRuns = (a: Int32Array<ArrayBufferLike>, b: Int32Array<ArrayBufferLike>): Int32Array<ArrayBufferLike> => {
    if (a.length === 0) return b
    if (b.length === 0) return a
    const out = new Int32Array(a.length + b.length)
    let i = 0
    let j = 0
    let k = 0
    while (i < a.length && j < b.length) out[k++] = before(b[j]!, a[i]!) ? b[j++]! : a[i++]!
    // What is left of either run, copied whole: as loops, the one that had not yet run when the function was
    // optimized deoptimized it at every call.
    out.set(i < a.length ? a.subarray(i) : b.subarray(j), k)
    return out
  }

  /**
   * The columns and the overlay merged into the spare columns, in ring order, without the keys that emptied, whose
   * slots are then free. `place` gives each key kept its owner from the one it had (FRESH for a key made in this
   * batch); without it, keys keep theirs.
   */
  const merge = (place?: (slot: number, positions: Float64Array, at: number, weight: number, previous: number) => number): void => {
    const { order, positions, weights, owners } = cur
    const n = count
    reserve(spare, index.size)
    const next = spare
    let i = 0
    let j = 0
    let k = 0
    while (i < n || j < overlay.length) {
      if (i < n && weights[i] === 0) {
        i++
        continue
      }
      const f = j < overlay.length ? overlay[j]! : -1
      const oldFirst = i < n && columnFirst(i, f)
      let slot: number
      let weight: number
      let position: number
      let owner: number
      if (oldFirst) {
        slot = order[i]!
        weight = weights[i]!
        position = positions[i]!
        owner = owners[i]!
        i++
      } else {
        j++
        weight = sizeOf[f]!
        if (weight === 0) continue
        slot = f
        position = positionOf[f]!
        owner = ownerOf[f]!
      }
      // Kept right for every key, so that reweighing a key finds it at once (a search costs a cache miss per step).
      placedAt[slot] = k
      next.order[k] = slot
      next.positions[k] = position
      next.weights[k] = weight
      if (place !== undefined) owner = place(slot, next.positions, k, weight, owner)
      next.owners[k++] = owner
    }
    spare = cur
    cur = next
    count = k
    overlay = new Int32Array(0)
    for (const slot of emptied) if (sizeOf[slot] === 0) release(slot)
    emptied.length = 0
  }

  /**
   * Every key placed again, in one pass in ring order, as the columns are merged: the first batch, a change of
   * collectors, or a batch that fills a collector before every checkpoint. The members of each key placed before
   * whose owner changed are moved (`was` maps old owners to the current names' indexes, when they changed); those of
   * keys new in this batch are moved at its end.
   */
  const placeAll = (was: Int32Array | undefined): void => {
    const bounded = new BoundedAssignment(ring, total)
    let next = 0
    merge((slot, positions, at, weight, owner) => {
      if (next < CHECKPOINTS.length && positions[at]! > CHECKPOINTS[next]!) next = checkpoint(bounded, next, positions[at]!)
      const previous = was === undefined || owner < 0 ? owner : was[owner]!
      const o = bounded.owner(positions, at, weight)
      // Owners are indexes into the names: one that stays may still be renumbered.
      if (o !== owner) ownerOf[slot] = o
      if (o !== previous && previous !== FRESH) moveAll(slot, o)
      return o
    })
    checkpoint(bounded, next, Infinity)
  }

  /**
   * A pass reached `position`: the checkpoints from `next` before it take the pass's loads if every key so far went
   * to its natural owner. Returns the next checkpoint ahead.
   */
  const checkpoint = (bounded: BoundedAssignment, next: number, position: number): number => {
    for (; next < CHECKPOINTS.length && position > CHECKPOINTS[next]!; next++) {
      loadsAt[next] = bounded.natural && ring.collectors > 0 ? bounded.loads() : undefined
    }
    return next
  }

  /**
   * The keys after the last checkpoint the batch leaves natural placed again, from the loads there: keys before it
   * keep their natural owners, which changing weights do not change. `false`, with nothing changed, when the batch
   * fills a collector before every checkpoint. `joined` are the batch's new keys, in ring order; `reweighed` the keys
   * it reweighed, with their weight before.
   */
  const placeTail = (joined: Int32Array<ArrayBufferLike>, reweighed: Reweighed): boolean => {
    const last = loadsAt.findLastIndex((loads) => loads !== undefined)
    if (last < 0) return false
    // Each checkpoint's loads with what the batch changed before it. (Those defined are the first ones: a pass that
    // is natural at a checkpoint was at every one before.)
    const loads = loadsAt.map((l) => l?.slice())
    const add = (position: number, owner: number, weight: number): void => {
      for (let k = last; k >= 0 && CHECKPOINTS[k]! > position; k--) loads[k]![owner]! += weight
    }
    for (let i = 0; i < reweighed.slots.length; i++) {
      const slot = reweighed.slots[i]!
      add(positionOf[slot]!, ownerOf[slot]!, sizeOf[slot]! - reweighed.weights[i]!)
    }
    const early = joined.filter((slot) => positionOf[slot]! < CHECKPOINTS[last]!)
    const natural = naturalOwners(ring, Float64Array.from(early, (slot) => positionOf[slot]!))
    early.forEach((slot, i) => add(positionOf[slot]!, natural[i]!, sizeOf[slot]!))
    const capacity = capacityOf(total, ring.collectors)
    let from = last
    while (from >= 0 && loads[from]!.some((load) => load >= capacity)) from--
    if (from < 0) return false
    const resume = CHECKPOINTS[from]!
    for (let k = 0; k <= from; k++) loadsAt[k] = loads[k]
    early.forEach((slot, i) => {
      if (positionOf[slot]! < resume) ownerOf[slot] = natural[i]!
    })
    overlay = mergeRuns(overlay, joined)
    const bounded = new BoundedAssignment(ring, total, loads[from])
    const { order, positions, weights, owners } = cur
    let next = from + 1
    // Where to resume, in the columns and in the overlay.
    let i = firstFrom(count, (k) => positions[k]!, resume)
    let j = firstFrom(overlay.length, (k) => positionOf[overlay[k]!]!, resume)
    while (i < count || j < overlay.length) {
      if (i < count && weights[i] === 0) {
        i++
        continue
      }
      const f = j < overlay.length ? overlay[j]! : -1
      if (i < count && columnFirst(i, f)) {
        // A key of the columns: read and written in ring order.
        if (next < CHECKPOINTS.length && positions[i]! > CHECKPOINTS[next]!) next = checkpoint(bounded, next, positions[i]!)
        const o = bounded.owner(positions, i, weights[i]!)
        if (o !== owners[i]) {
          owners[i] = o
          ownerOf[order[i]!] = o
          moveAll(order[i]!, o)
        }
        i++
        continue
      }
      j++
      const weight = sizeOf[f]!
      if (weight === 0) continue
      if (next < CHECKPOINTS.length && positionOf[f]! > CHECKPOINTS[next]!) next = checkpoint(bounded, next, positionOf[f]!)
      const previous = ownerOf[f]!
      const o = bounded.owner(positionOf, f, weight)
      ownerOf[f] = o
      if (o !== previous && previous !== FRESH) moveAll(f, o)
    }
    checkpoint(bounded, next, Infinity)
    if (overlay.length * OVERLAY_SHARE > count) merge()
    return true
  }

  return {
    settle: (currentView, pending, currentMove) => {
      view = currentView
      move = currentMove
      fresh = new Int32Array(pending.added.length + pending.updated.length)
      freshCount = 0
      touched.slots.length = 0
      touched.weights.length = 0
      batch = Marks.next(batch, () => touchedIn.fill(0))

      // Joins first, so that a target replaced at the same address never empties its key. Each target placed in
      // this batch is kept with its key's slot, to give it its key's owner at the end.
      const added = pending.added
      if (added.length > 1024) reserveKeys(added.length)
      const readdressed: Array<number> = []
      const joinedSlots = new Int32Array(added.length + pending.updated.length)
      for (let i = 0; i < added.length; i++) joinedSlots[i] = join(added[i]!)
      for (const { slot: t, previous } of pending.updated) {
        if (previous.address === view.targetOf(t).address) continue
        const was = keyOf.get(t)
        joinedSlots[added.length + readdressed.push(t) - 1] = join(t)
        leave(was, t)
      }
      for (let i = 0; i < pending.removed.length; i++) {
        const t = pending.removed[i]!.slot
        leave(keyOf.get(t), t)
      }

      const made = fresh.subarray(0, freshCount)
      const reweighed: Reweighed = { slots: [], weights: [] }
      for (let i = 0; i < touched.slots.length; i++) {
        const slot = touched.slots[i]!
        const now = sizeOf[slot]!
        if (now === touched.weights[i]) continue
        reweighed.slots.push(slot)
        reweighed.weights.push(touched.weights[i]!)
        if (placedAt[slot]! >= 0) cur.weights[placedAt[slot]!] = now
        if (now === 0) emptied.push(slot)
      }
      // Keys made and emptied within the batch are never placed.
      let live = 0
      for (let i = 0; i < made.length; i++) {
        const slot = made[i]!
        if (sizeOf[slot]! > 0) made[live++] = slot
        else release(slot)
      }
      const joined = sortSlots(made.subarray(0, live), positionOf, addressOf)
      if (reweighed.slots.length > 0 || joined.length > 0 || pending.collectorsChanged) {
        let was: Int32Array | undefined
        if (pending.collectorsChanged) {
          // Owners are indexes into the name list: carried over to the new one, by name (-1: gone).
          const byName = new Map(view.collectors.map((c, i) => [c.name, i]))
          was = Int32Array.from(names, (name) => byName.get(name) ?? -1)
          names = view.collectors.map((c) => c.name)
          ring = buildRing(names)
        }
        const tailOnly = was === undefined && joined.length * OVERLAY_SHARE <= count &&
          placeTail(joined, reweighed)
        if (!tailOnly) {
          overlay = mergeRuns(overlay, joined)
          placeAll(was)
        }
      }
      // Targets whose collector left take their key's owner again: moved above if it changed, but it may be the
      // same collector, gone and back within the batch, which the columns never saw leave.
      for (const t of pending.orphaned) if (view.collectorOf(t) === undefined) toKeyOwner(t, keyOf.get(t))
      // What joined a key takes its owner (a no-op for the keys whose owner changed, moved above).
      for (let i = 0; i < added.length; i++) toKeyOwner(added[i]!, joinedSlots[i]!)
      for (let i = 0; i < readdressed.length; i++) toKeyOwner(readdressed[i]!, joinedSlots[added.length + i]!)
    }
  }
}

export const consistentHashing: Strategy = { name: "consistent-hashing", makePlacer }
