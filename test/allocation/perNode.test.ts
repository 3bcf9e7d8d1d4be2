import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { consistentHashing } from "../../src/allocation/consistentHashing.ts"
import { leastWeighted } from "../../src/allocation/leastWeighted.ts"
import { nodeOf, perNode } from "../../src/allocation/perNode.ts"
import { allocation, collectors, target } from "./support.ts"

describe("per-node", () => {
  it("reads the node as upstream does: pod, node, endpoint node name, then an endpoint slice's Node target", () => {
    expect(nodeOf(target("j", "a:1", { __meta_kubernetes_pod_node_name: "n1", __meta_kubernetes_node_name: "n2" }))).toBe("n1")
    expect(nodeOf(target("j", "a:1", { __meta_kubernetes_node_name: "n2" }))).toBe("n2")
    expect(nodeOf(target("j", "a:1", { __meta_kubernetes_endpoint_node_name: "n3" }))).toBe("n3")
    expect(nodeOf(target("j", "a:1", { __meta_kubernetes_endpointslice_address_target_kind: "Node", __meta_kubernetes_endpointslice_address_target_name: "n4" }))).toBe("n4")
    expect(nodeOf(target("j", "a:1", { __meta_kubernetes_endpointslice_address_target_kind: "Pod", __meta_kubernetes_endpointslice_address_target_name: "p" }))).toBe("")
  })

  const onNode = (address: string, node: string) => target("j", address, { __meta_kubernetes_pod_node_name: node })

  it("sends a target to the collector on its node; one on a node without a collector, or without a node, stays unassigned", () => {
    const a = allocation(perNode(undefined))
    a.setCollectors(collectors(2, (i) => `node-${i}`))
    a.add([onNode("a:1", "node-0"), onNode("a:2", "node-1"), onNode("a:3", "node-9"), target("j", "a:4")])
    expect(a.assignment()).toEqual(new Map([["j|a:1", "collector-0"], ["j|a:2", "collector-1"], ["j|a:3", undefined], ["j|a:4", undefined]]))
    expect(a.state.unassigned).toBe(2)
    // A collector comes to node-9; the target follows its node when its labels change.
    a.setCollectors([...collectors(2, (i) => `node-${i}`), { name: "collector-9", node: "node-9" }])
    expect(a.assignment().get("j|a:3")).toBe("collector-9")
    a.update([onNode("a:1", "node-1")])
    expect(a.assignment().get("j|a:1")).toBe("collector-1")
  })

  it("sends targets without a node to the fallback strategy", () => {
    for (const fallback of [consistentHashing, leastWeighted]) {
      const a = allocation(perNode(fallback))
      a.setCollectors(collectors(3, (i) => `node-${i}`))
      a.add([onNode("a:1", "node-2"), target("j", "b:1"), target("j", "b:2"), target("j", "b:3")])
      const got = a.assignment()
      expect(got.get("j|a:1")).toBe("collector-2")
      expect(a.state.unassigned).toBe(0)
      // A target losing its node goes to the fallback; one gaining a node leaves it.
      a.update([target("j", "a:1")])
      expect(a.state.unassigned).toBe(0)
      a.update([onNode("b:1", "node-0")])
      expect(a.assignment().get("j|b:1")).toBe("collector-0")
    }
  })

  it("spreads the targets of a node over the collectors it has, the same way in every replica", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), (k) => {
      const cs = collectors(k, () => "shared")
      const ts = Array.from({ length: 400 }, (_, i) => onNode(`10.0.${i >> 8}.${i & 255}:80`, "shared"))
      const a = allocation(perNode(undefined))
      a.setCollectors(cs)
      a.add(ts)
      const b = allocation(perNode(undefined))
      b.add([...ts].reverse())
      b.setCollectors([...cs].reverse())
      expect(b.assignment()).toEqual(a.assignment())
      expect(Math.min(...a.loads())).toBeGreaterThan(400 / k / 2)
    }), { numRuns: 5 })
  })
})
