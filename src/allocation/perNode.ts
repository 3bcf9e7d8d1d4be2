/**
 * `per-node`: a target goes to a collector on its own node (from its discovered labels, as upstream reads them); a
 * target on a node without a collector stays unassigned, as upstream. Targets without a node go to the fallback
 * strategy, or stay unassigned without one. Where several collectors share a node, a target picks among them by
 * rendezvous hashing on its address, which spreads them evenly (upstream gives all of them to one, in map order).
 */
import { hashString } from "../labels/hash.ts"
import { labelOf, type Target } from "../targets/target.ts"
import type { AllocationView, Pending, Placer, Strategy } from "./strategy.ts"

/** `Item.GetNodeName` of upstream: the first non-empty node label, then an endpoint slice's Node target. */
export const nodeOf = (t: Target): string => {
  const named = labelOf(t, "__meta_kubernetes_pod_node_name") || labelOf(t, "__meta_kubernetes_node_name") ||
    labelOf(t, "__meta_kubernetes_endpoint_node_name")
  if (named) return named
  if (labelOf(t, "__meta_kubernetes_endpointslice_address_target_kind") === "Node") {
    return labelOf(t, "__meta_kubernetes_endpointslice_address_target_name") ?? ""
  }
  return ""
}

const rendezvous = (address: string, candidates: ReadonlyArray<string>): string => {
  let best = candidates[0]!
  let bestScore = -1
  for (const c of candidates) {
    const score = hashString(`${c}\u0000${address}`)
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}

const nodeless = (view: AllocationView, pending: Pending): { readonly view: AllocationView; readonly pending: Pending } => {
  const without = (slot: number) => nodeOf(view.targetOf(slot)) === ""
  return {
    view: {
      ...view,
      all: function*() {
        for (const slot of view.all()) if (without(slot)) yield slot
      }
    },
    pending: {
      added: Int32Array.from([
        ...pending.added.filter(without),
        ...pending.updated.filter((u) => nodeOf(u.previous) !== "" && without(u.slot)).map((u) => u.slot)
      ]),
      removed: [
        ...pending.removed.filter((r) => nodeOf(r.target) === ""),
        ...pending.updated.filter((u) => nodeOf(u.previous) === "" && !without(u.slot)).map((u) => ({ slot: u.slot, target: u.previous }))
      ],
      updated: pending.updated.filter((u) => nodeOf(u.previous) === "" && without(u.slot)),
      collectorsChanged: pending.collectorsChanged,
      orphaned: pending.orphaned.filter(without)
    }
  }
}

export const perNode = (fallback: Strategy | undefined): Strategy => ({
  name: "per-node",
  makePlacer: (): Placer => {
    const fallbackPlacer = fallback?.makePlacer()
    let byNode = new Map<string, Array<string>>()
    return {
      settle: (view, pending, move) => {
        if (pending.collectorsChanged) {
          byNode = new Map()
          for (const c of view.collectors) {
            if (c.node === "") continue
            const names = byNode.get(c.node)
            if (names === undefined) byNode.set(c.node, [c.name])
            else names.push(c.name)
          }
        }
        const place = (slot: number) => {
          const target = view.targetOf(slot)
          const node = nodeOf(target)
          if (node === "") return
          const candidates = byNode.get(node)
          move(slot, candidates === undefined ? undefined : rendezvous(target.address, candidates))
        }
        if (pending.collectorsChanged) for (const slot of view.all()) place(slot)
        else {
          for (const slot of pending.added) place(slot)
          for (const u of pending.updated) place(u.slot)
        }
        if (fallbackPlacer !== undefined) {
          const sub = nodeless(view, pending)
          fallbackPlacer.settle(sub.view, sub.pending, move)
        } else {
          // Without a fallback, a target that lost its node label has nowhere to go.
          for (const u of pending.updated) if (nodeOf(view.targetOf(u.slot)) === "") move(u.slot, undefined)
        }
      }
    }
  }
})
