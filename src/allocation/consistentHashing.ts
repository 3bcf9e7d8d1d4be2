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
import { assignBounded, buildRing, keyPosition, type Ring } from "./ring.ts"
import type { Assigned, Placer, Strategy } from "./strategy.ts"

/** One address: the targets that share it (one per job that has it), placed together. */
interface Key {
  readonly address: string
  readonly position: number
  readonly members: Array<Assigned>
  /** Where it is in the arrays, as of the last batch. */
  index: number
}

const before = (a: Key, b: Key): boolean =>
  a.position < b.position || (a.position === b.position && a.address < b.address)

const makePlacer = (): Placer => {
  const keys = new Map<string, Key>()
  let order: Array<Key> = []
  let positions: Float64Array = new Float64Array(0)
  let weights: Int32Array = new Int32Array(0)
  /** The collector index of each key, -1 for none. */
  let owners: Int32Array = new Int32Array(0)
  let names: ReadonlyArray<string> = []
  let ring: Ring = buildRing([])
  let total = 0

  /** The arrays again, without the keys that emptied and with `fresh` (sorted) merged in; owners carried over. */
  const rebuild = (fresh: ReadonlyArray<Key>) => {
    const size = keys.size
    const nextOrder: Array<Key> = new Array(size)
    const nextPositions = new Float64Array(size)
    const nextWeights = new Int32Array(size)
    const nextOwners = new Int32Array(size)
    let i = 0
    let j = 0
    let k = 0
    const put = (key: Key, owner: number) => {
      nextOrder[k] = key
      nextPositions[k] = key.position
      nextWeights[k] = key.members.length
      nextOwners[k] = owner
      key.index = k++
    }
    while (i < order.length || j < fresh.length) {
      const old = order[i]
      if (old !== undefined && old.members.length === 0) {
        i++
        continue
      }
      if (old !== undefined && (j === fresh.length || before(old, fresh[j]!))) put(old, owners[i++]!)
      else put(fresh[j++]!, -1)
    }
    order = nextOrder
    positions = nextPositions
    weights = nextWeights
    owners = nextOwners
  }

  return {
    settle: (view, pending, move) => {
      const fresh: Array<Key> = []
      // Each key touched, with its weight before: a target replaced by another at the same address changes nothing.
      const touched = new Map<Key, number>()
      const join = (a: Assigned): void => {
        let key = keys.get(a.target.address)
        if (key === undefined) {
          key = { address: a.target.address, position: keyPosition(hashString(a.target.address)), members: [], index: -1 }
          keys.set(key.address, key)
          fresh.push(key)
        }
        if (!touched.has(key)) touched.set(key, key.members.length)
        key.members.push(a)
        total++
      }
      const leave = (address: string, isMember: (a: Assigned) => boolean): void => {
        const key = keys.get(address)
        if (key === undefined) return
        const at = key.members.findIndex(isMember)
        if (at < 0) return
        if (!touched.has(key)) touched.set(key, key.members.length)
        key.members.splice(at, 1)
        total--
        if (key.members.length === 0) keys.delete(address)
      }

      // Joins first, so that a target replaced at the same address never empties its key.
      for (const a of pending.added) join(a)
      const readdressed: Array<Assigned> = []
      for (const { assigned, previous } of pending.updated) {
        if (previous.address === assigned.target.address) continue
        join(assigned)
        leave(previous.address, (a) => a === assigned)
        readdressed.push(assigned)
      }
      for (const t of pending.removed) leave(t.address, (a) => a.target.job === t.job && a.target.id === t.id)

      let emptied = false
      let reweighed = false
      for (const [key, weight] of touched) {
        if (key.members.length === weight) continue
        reweighed = true
        if (key.members.length === 0) emptied = true
        else if (key.index >= 0 && order[key.index] === key) weights[key.index] = key.members.length
      }
      const ownerOf = (a: Assigned) => {
        const key = keys.get(a.target.address)
        const o = key === undefined || key.index < 0 ? -1 : owners[key.index]!
        return o < 0 ? undefined : names[o]
      }
      if (!reweighed && !pending.collectorsChanged) {
        // Nothing the ring sees changed: new targets take their address's collector.
        for (const a of pending.added) if (keys.has(a.target.address)) move(a, ownerOf(a))
        for (const a of readdressed) move(a, ownerOf(a))
        return
      }

      if (emptied || fresh.length > 0) rebuild(fresh.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)))
      let previous = owners
      if (pending.collectorsChanged) {
        // Owners are indexes into the name list: carry them over to the new one, by name.
        const index = new Map(view.collectors.map((c, i) => [c.name, i]))
        previous = Int32Array.from(owners, (o) => (o < 0 ? -1 : index.get(names[o]!) ?? -1))
        names = view.collectors.map((c) => c.name)
        ring = buildRing(names)
      }
      owners = assignBounded(ring, positions, weights, total)
      for (let k = 0; k < owners.length; k++) {
        if (owners[k] === previous[k]) continue
        const owner = owners[k]! < 0 ? undefined : names[owners[k]!]
        for (const a of order[k]!.members) move(a, owner)
      }
      // New targets (and readdressed ones) whose address kept its collector.
      for (const a of pending.added) if (keys.has(a.target.address)) move(a, ownerOf(a))
      for (const a of readdressed) move(a, ownerOf(a))
    }
  }
}

export const consistentHashing: Strategy = { name: "consistent-hashing", makePlacer }
