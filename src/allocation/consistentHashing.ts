/**
 * `consistent-hashing`: keyed on the target's address, as upstream, so the same address lands on the same collector
 * in every job and keeps it when only its labels change; placed by consistent hashing with bounded loads
 * (ring.ts), which keeps every collector within 4% of the mean. The assignment is a pure function of the addresses
 * and the collector names: every replica agrees, whatever the order of events.
 */
import type { Collector } from "../membership/collector.ts"
import { assignBounded, buildRing, keyPosition, type Ring } from "./ring.ts"
import { hashString } from "../labels/hash.ts"
import type { Assigned, Placer, Strategy } from "./strategy.ts"

/** One address: all the targets that share it (one per job that has it), placed together. */
interface Key {
  readonly address: string
  readonly position: number
  readonly members: Set<Assigned>
  owner: string | undefined
}

const byPosition = (a: Key, b: Key): number =>
  a.position - b.position || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)

/** Merges two sorted key lists. */
const merge = (a: ReadonlyArray<Key>, b: ReadonlyArray<Key>): Array<Key> => {
  const out: Array<Key> = new Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) out[k++] = byPosition(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!
  while (i < a.length) out[k++] = a[i++]!
  while (j < b.length) out[k++] = b[j++]!
  return out
}

const makePlacer = (): Placer => {
  const keys = new Map<string, Key>()
  let sorted: Array<Key> = []
  let names: ReadonlyArray<string> = []
  let ring: Ring = buildRing([])
  let total = 0

  return {
    settle: (view, pending, move) => {
      const fresh: Array<Key> = []
      let removedKeys = false
      const join = (a: Assigned): Key => {
        let key = keys.get(a.target.address)
        if (key === undefined) {
          key = { address: a.target.address, position: keyPosition(hashString(a.target.address)), members: new Set(), owner: undefined }
          keys.set(key.address, key)
          fresh.push(key)
        }
        key.members.add(a)
        total++
        return key
      }
      const leave = (address: string, isMember: (a: Assigned) => boolean): void => {
        const key = keys.get(address)
        if (key === undefined) return
        for (const a of key.members) {
          if (!isMember(a)) continue
          key.members.delete(a)
          total--
          break
        }
        if (key.members.size === 0) {
          keys.delete(address)
          removedKeys = true
        }
      }

      for (const t of pending.removed) leave(t.address, (a) => a.target.job === t.job && a.target.id === t.id)
      const moved: Array<Assigned> = []
      for (const { assigned, previous } of pending.updated) {
        if (previous.address === assigned.target.address) continue
        leave(previous.address, (a) => a === assigned)
        join(assigned)
        moved.push(assigned)
      }
      for (const a of pending.added) join(a)
      const structural = fresh.length > 0 || removedKeys || pending.removed.length > 0 || pending.added.length > 0 ||
        moved.length > 0 || pending.collectorsChanged
      if (!structural) return

      if (pending.collectorsChanged) {
        names = view.collectors.map((c: Collector) => c.name)
        ring = buildRing(names)
      }
      if (removedKeys) sorted = sorted.filter((k) => k.members.size > 0)
      if (fresh.length > 0) sorted = merge(sorted, fresh.sort(byPosition))

      const positions = new Float64Array(sorted.length)
      const weights = new Int32Array(sorted.length)
      for (let k = 0; k < sorted.length; k++) {
        positions[k] = sorted[k]!.position
        weights[k] = sorted[k]!.members.size
      }
      const owners = assignBounded(ring, positions, weights, total)
      for (let k = 0; k < sorted.length; k++) {
        const key = sorted[k]!
        const owner = owners[k]! < 0 ? undefined : names[owners[k]!]
        if (owner === key.owner) continue
        key.owner = owner
        for (const a of key.members) move(a, owner)
      }
      // New targets (and moved addresses) whose key kept its owner.
      for (const a of pending.added) move(a, keys.get(a.target.address)?.owner)
      for (const a of moved) move(a, keys.get(a.target.address)?.owner)
    }
  }
}

export const consistentHashing: Strategy = { name: "consistent-hashing", makePlacer }
