/**
 * Role `node`, against Prometheus 3.14's discovery/kubernetes/node.go (`buildNode`, `nodeLabels`, `nodeAddress`) and
 * its node_test.go (`TestNodeDiscoveryConditions`).
 */
import { describe, expect, it } from "vitest"
import { group } from "../../../src/discovery/kubernetes/node.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import * as L from "../../../src/labels/labels.ts"
import { lookupOf, none } from "./support.ts"

const nothing = lookupOf()

const node = (addresses: ReadonlyArray<readonly [string, string]>, status: object = {}, metadata: object = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1", ...metadata },
  spec: { providerID: "hcloud://1" },
  status: { addresses: addresses.map(([type, address]) => ({ type, address })), daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }, ...status }
} as KubeObject)

const build = (n: KubeObject) => {
  const g = group(n, nothing, none)
  return { source: g.source, labels: L.toRecord(g.labels), targets: g.targets.map(L.toRecord) }
}
const address = (n: KubeObject) => build(n).targets[0]?.["__address__"]

describe("role node", () => {
  it("targets the kubelet, names the instance after the node, and labels the first address of each type", () => {
    const g = build(node([["Hostname", "n1"], ["InternalIP", "10.0.0.1"], ["InternalIP", "10.0.0.2"], ["ExternalIP", "203.0.113.1"]]))
    expect(g.source).toBe("node/n1")
    expect(g.targets).toEqual([{
      __address__: "10.0.0.1:10250",
      instance: "n1",
      __meta_kubernetes_node_address_Hostname: "n1",
      __meta_kubernetes_node_address_InternalIP: "10.0.0.1",
      __meta_kubernetes_node_address_ExternalIP: "203.0.113.1"
    }])
    expect(g.labels).toEqual({ __meta_kubernetes_node_name: "n1", __meta_kubernetes_node_provider_id: "hcloud://1" })
  })

  it("prefers InternalIP, InternalDNS, ExternalIP, ExternalDNS, LegacyHostIP, Hostname, whatever the listed order", () => {
    const all: Array<readonly [string, string]> = [
      ["Hostname", "host"], ["LegacyHostIP", "10.9.9.9"], ["ExternalDNS", "ext.example.com"],
      ["ExternalIP", "203.0.113.1"], ["InternalDNS", "int.example.com"], ["InternalIP", "10.0.0.1"]
    ]
    const expected = ["10.0.0.1:10250", "int.example.com:10250", "203.0.113.1:10250", "ext.example.com:10250", "10.9.9.9:10250", "host:10250"]
    for (let i = 0; i < expected.length; i++) expect(address(node(all.slice(0, all.length - i)))).toBe(expected[i])
  })

  it("brackets an IPv6 address reported first", () => {
    expect(address(node([["InternalIP", "2001:db8:40::23"], ["InternalIP", "192.168.40.23"]]))).toBe("[2001:db8:40::23]:10250")
  })

  it("uses the kubelet's reported port, and Go's zero port when there is none", () => {
    expect(address(node([["ExternalIP", "198.51.100.37"]], { daemonEndpoints: { kubeletEndpoint: { Port: 12250 } } }))).toBe("198.51.100.37:12250")
    expect(address(node([["InternalIP", "10.0.0.1"]], { daemonEndpoints: {} }))).toBe("10.0.0.1:0")
  })

  it("sanitises an address type it does not know into the label name", () => {
    expect(build(node([["InternalIP", "10.0.0.1"], ["Custom-Type", "x"]])).targets[0]!["__meta_kubernetes_node_address_Custom_Type"]).toBe("x")
  })

  it("gives a node without addresses no targets", () => {
    expect(build(node([]))).toEqual({ source: "node/n1", labels: {}, targets: [] })
  })

  describe("condition labels (3.12, #17601)", () => {
    const conditions = (cs: ReadonlyArray<readonly [string, string]>) =>
      build(node([["InternalIP", "10.0.0.1"]], { conditions: cs.map(([type, status]) => ({ type, status })) })).labels

    it("lower-cases type and status", () => {
      expect(conditions([["MemoryPressure", "False"], ["Ready", "True"], ["DiskPressure", "Unknown"]])).toMatchObject({
        __meta_kubernetes_node_condition_memorypressure: "false",
        __meta_kubernetes_node_condition_ready: "true",
        __meta_kubernetes_node_condition_diskpressure: "unknown"
      })
    })

    it("sanitises a custom condition type", () => {
      expect(conditions([["example.com/GPU-Healthy", "True"]])["__meta_kubernetes_node_condition_example_com_gpu_healthy"]).toBe("true")
    })

    it("adds none without conditions", () => {
      expect(Object.keys(conditions([])).filter((k) => k.includes("condition"))).toEqual([])
    })
  })

  it("puts labels and annotations on the group, sanitised, an empty value leaving only `present`", () => {
    const labels = build(node([["InternalIP", "10.0.0.1"]], {}, {
      labels: { "feature.node.kubernetes.io/cpu-cpuid.AVX512F": "true", "node-role.kubernetes.io/worker": "" },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" }
    })).labels
    expect(labels).toMatchObject({
      __meta_kubernetes_node_label_feature_node_kubernetes_io_cpu_cpuid_AVX512F: "true",
      __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_worker: "true",
      __meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl: "0"
    })
    expect(labels["__meta_kubernetes_node_label_node_role_kubernetes_io_worker"]).toBeUndefined()
  })
})
