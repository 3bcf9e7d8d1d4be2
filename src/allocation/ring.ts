/**
 * Consistent hashing with bounded loads, as a pure function of the keys and the collectors.
 *
 * Each collector owns `virtualNodes` points on a ring of 53-bit hashes. Keys are taken in ring order (their hash,
 * ascending); each goes to the owner of the first point at or after it whose collector still has room for it,
 * where room is `ceil((1 + slack) × total weight / collectors)`. The result depends only on the keys, their weights
 * and the collector names, never on the order of events, so every replica computes the same assignment.
 *
 * Why these numbers (measured on 100k keys over 50 collectors, `test/allocation/consistentHashing.test.ts`): 1000
 * points per collector make arcs even enough that only a few keys overflow; a slack of 4% bounds the busiest
 * collector at 1.04 × the mean, where a plain ring of the same size reaches 1.08 and upstream's 1.12 to 1.21. A
 * collector joining then moves about 1.02 × its fair share, and one leaving moves its own keys plus under 0.1%.
 *
 * The pass is over every key (about 30 ms for a million) or resumes where no collector has filled up yet
 * (`loads`, consistentHashing.ts): cheaper and simpler than tracking how an overflow ripples along the ring.
 */
import { hashString } from "../labels/hash.ts"

export const virtualNodes = 1000
export const slack = 0.04

/** Points store the owner in their low 20 bits, so one native sort orders them by position, then by owner. */
const OWNER_BITS = 2 ** 20

export interface Ring {
  /** Sorted ascending: `position × 2^20 + owner`, positions being the top 33 bits of a 53-bit hash. */
  readonly points: Float64Array
  /** The collector of each point. */
  readonly ownerOf: Int32Array
  /** Collector index → its points' indexes in `points`: what to skip once the collector is full. */
  readonly pointsOf: ReadonlyArray<Int32Array>
  readonly collectors: number
  /** Working memory of `BoundedAssignment`, one entry per point: kept with the ring rather than allocated per call. */
  readonly scratch: Int32Array
  /**
   * The collectors whose points the last `BoundedAssignment` redirected in `scratch` (those that filled): the next
   * resets only theirs, where resetting every point cost a write of 2 MB per update at 500 collectors.
   */
  readonly dirty: Array<number>
}

/** A 32-bit mix (murmur3's finalizer): spreads a collector's points from one hash of its name. */
const fmix = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** `names` in a fixed order (sorted): a collector is its index in it. */
export const buildRing = (names: ReadonlyArray<string>): Ring => {
  if (names.length >= OWNER_BITS) throw new Error(`too many collectors: ${names.length}`)
  const points = new Float64Array(names.length * virtualNodes)
  for (const [c, name] of names.entries()) {
    const seed = hashString(name)
    const hi = Math.floor(seed / 2 ** 21) | 0
    const lo = seed % 2 ** 21 | 0
    for (let i = 0; i < virtualNodes; i++) {
      // 33 bits of position: 32 from one mix, 1 more from a second.
      const a = fmix(hi ^ Math.imul(i + 1, 0x9e3779b1))
      const b = fmix(lo ^ Math.imul(i + 1, 0x7f4a7c15)) & 1
      points[c * virtualNodes + i] = (a * 2 + b) * OWNER_BITS + c
    }
  }
  points.sort()
  const counts = new Int32Array(names.length)
  const pointsOf = names.map(() => new Int32Array(virtualNodes))
  const ownerOf = new Int32Array(points.length)
  for (let k = 0; k < points.length; k++) {
    const c = points[k]! % OWNER_BITS
    ownerOf[k] = c
    pointsOf[c]![counts[c]!++] = k
  }
  const scratch = new Int32Array(points.length)
  for (let p = 0; p < scratch.length; p++) scratch[p] = p
  return { points, ownerOf, pointsOf, collectors: names.length, scratch, dirty: [] }
}

/** Positions are multiples of this plus an owner: only the 33 bits above it order keys. */
export const POSITION_UNIT = OWNER_BITS

/** A key's position on the ring, comparable with points: the top 33 bits of its 53-bit hash, then after every owner. */
export const keyPosition = (hash: number): number => Math.floor(hash / 2 ** 20) * OWNER_BITS + (OWNER_BITS - 1)

/** The most a collector may take of `totalWeight`. */
export const capacityOf = (totalWeight: number, collectors: number): number =>
  Math.ceil(((1 + slack) * totalWeight) / Math.max(collectors, 1))

/**
 * The natural owners of keys in ring order (`positions` ascending): the collector of the first point after each, while
 * no collector is full. Each key's point is found from the last one's by galloping: a search from scratch per key
 * would miss the caches at nearly every step, and a walk would read every point between two keys (for a batch's
 * ten thousand keys, half a million points). -1 without collectors.
 */
export const naturalOwners = (ring: Ring, positions: ArrayLike<number>): Int32Array => {
  const { points, ownerOf } = ring
  const n = points.length
  const owners = new Int32Array(positions.length)
  if (n === 0) return owners.fill(-1)
  let p = 0
  for (let k = 0; k < positions.length; k++) {
    p = gallop(points, p, positions[k]!)
    owners[k] = ownerOf[p === n ? 0 : p]!
  }
  return owners
}

/** The first of `points` from `from` at or after `position` (`points.length` if none): steps of 1, 2, 4…, then bisection. */
const gallop = (points: Float64Array, from: number, position: number): number => {
  const n = points.length
  let lo = from
  if (lo >= n || points[lo]! >= position) return lo
  // points[lo] < position throughout.
  let step = 1
  while (lo + step < n && points[lo + step]! < position) {
    lo += step
    step *= 2
  }
  let hi = Math.min(lo + step, n)
  lo++
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (points[mid]! < position) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The first of `n` ascending positions (`positionAt(i)`) at or after `position`, `n` if none, by bisection: a scan
 * would miss the caches at every step.
 */
export const firstFrom = (n: number, positionAt: (i: number) => number, position: number): number => {
  let lo = 0
  for (let hi = n; lo < hi;) {
    const mid = (lo + hi) >> 1
    if (positionAt(mid) < position) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The index of the first point at or after `position`, `points.length` if none. */
const firstPointFrom = (points: Float64Array, position: number): number => firstFrom(points.length, (i) => points[i]!, position)

/**
 * The bounded assignment of keys taken in ring order (their positions ascending, ties in a fixed order), one at a
 * time: `owner` gives the next key's collector (its index; -1 without collectors). A key's weight is how many
 * targets it stands for (one address in several jobs is one key). Fed key by key, so that a caller merging its keys
 * into ring order places each one as it goes instead of reading them all again.
 */
export class BoundedAssignment {
  readonly #ring: Ring
  readonly #capacity: number
  readonly #load: Int32Array
  /** next[p] === p: point p's collector has room; otherwise a pointer towards the next point that may have. */
  readonly #next: Int32Array
  #full = 0
  /** Keys that went to another point than the first after them (a collector full, or without room for them). */
  #displaced = 0
  /** The first point at or after the last key; -1 before the first key. */
  #start = -1

  /**
   * `loads`: where the pass resumes after keys already taken, none of which filled a collector (their loads, each
   * below the capacity).
   */
  constructor(ring: Ring, totalWeight: number, loads?: Int32Array) {
    this.#ring = ring
    this.#capacity = capacityOf(totalWeight, ring.collectors)
    this.#load = loads === undefined ? new Int32Array(ring.collectors) : loads.slice()
    this.#next = ring.scratch
    for (let i = 0; i < ring.dirty.length; i++) {
      const points = ring.pointsOf[ring.dirty[i]!]!
      for (let k = 0; k < points.length; k++) this.#next[points[k]!] = points[k]!
    }
    ring.dirty.length = 0
  }

  /** Every key so far went to its natural owner, and no collector is full: the state a pass may resume from. */
  get natural(): boolean {
    return this.#full === 0 && this.#displaced === 0
  }

  /** The collectors' loads so far (a copy). */
  loads(): Int32Array {
    return this.#load.slice()
  }

  #open(p: number): number {
    const next = this.#next
    let x = p
    while (next[x] !== x) {
      const up = next[next[x]!]!
      next[x] = up
      x = up
    }
    return x
  }

  /**
   * The owner of the key at `positions[at]`: passed as an array and an index because a position is a double, which a
   * call that is not inlined would box (a heap number per key, at a million keys 16 MB of garbage per pass).
   */
  owner(positions: Float64Array, at: number, w: number): number {
    const ring = this.#ring
    const n = ring.points.length
    if (n === 0) return -1
    const position = positions[at]!
    const load = this.#load
    // Keys come in ring order, so their first points only move forward; a pass resuming at a checkpoint starts there.
    let start = this.#start
    if (start < 0) start = firstPointFrom(ring.points, position)
    while (start < n && ring.points[start]! < position) start++
    this.#start = start
    const first = start === n ? 0 : start
    let p = this.#open(first)
    let c = ring.ownerOf[p]!
    // A key heavier than the room left skips on; once every collector is full, the natural owner takes it.
    let hops = 0
    while (load[c]! + w > this.#capacity && this.#full < ring.collectors && hops < ring.collectors) {
      p = this.#open(p + 1 === n ? 0 : p + 1)
      c = ring.ownerOf[p]!
      hops++
    }
    if (p !== first) this.#displaced++
    load[c]! += w
    if (load[c]! >= this.#capacity && load[c]! - w < this.#capacity) {
      this.#full++
      if (this.#full < ring.collectors) {
        ring.dirty.push(c)
        const points = ring.pointsOf[c]!
        for (let i = 0; i < points.length; i++) this.#next[points[i]!] = points[i]! + 1 === n ? 0 : points[i]! + 1
      }
    }
    return c
  }
}
