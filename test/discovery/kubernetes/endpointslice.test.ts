/**
 * Role `endpointslice`, for what the reference cluster does not show or deserves a name. The expectations follow
 * Prometheus 3.14's discovery/kubernetes/endpointslice_test.go where a case exists there (labels with an empty
 * value are left out: Prometheus treats them as absent), and its `buildEndpointSlice` otherwise.
 */
import { describe, expect, it } from "vitest"
import { group } from "../../../src/discovery/kubernetes/endpointslice.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import { node, none, sortedGroup, testPod as pod, testPodLabels } from "./support.ts"

const s = "__meta_kubernetes_endpointslice_"

/** endpointslice_test.go `makeEndpointSliceV1`. */
const makeEndpointSliceV1 = (): KubeObject => ({
  kind: "EndpointSlice",
  metadata: { name: "testendpoints", namespace: "default", labels: { "kubernetes.io/service-name": "testendpoints" }, annotations: { "test.annotation": "test" } },
  addressType: "IPv4",
  ports: [{ name: "testport", port: 9000, protocol: "TCP", appProtocol: "http" }],
  endpoints: [
    { addresses: ["1.2.3.4"], conditions: { ready: true, serving: true, terminating: false }, hostname: "testendpoint1", targetRef: {},
      nodeName: "foobar", deprecatedTopology: { topology: "value" }, zone: "us-east-1a" },
    { addresses: ["2.3.4.5"], conditions: { ready: true, serving: true, terminating: false }, zone: "us-east-1b" },
    { addresses: ["3.4.5.6"], conditions: { ready: false, serving: true, terminating: true }, zone: "us-east-1c" },
    { addresses: ["4.5.6.7"], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: "Node", name: "barbaz" }, zone: "us-east-1a" }
  ]
} as KubeObject)


const conditions = (ready: boolean, serving: boolean, terminating: boolean) => ({
  [`${s}endpoint_conditions_ready`]: String(ready), [`${s}endpoint_conditions_serving`]: String(serving), [`${s}endpoint_conditions_terminating`]: String(terminating)
})
const port9000 = { [`${s}port`]: "9000", [`${s}port_app_protocol`]: "http", [`${s}port_name`]: "testport", [`${s}port_protocol`]: "TCP" }

const podSlice = (ports: ReadonlyArray<object>, extra: object = {}): KubeObject => ({
  kind: "EndpointSlice",
  metadata: { name: "testsidecar", namespace: "default" },
  addressType: "IPv4",
  ports,
  endpoints: [{ addresses: ["4.3.2.1"], targetRef: { kind: "Pod", name: "testpod", namespace: "default" }, ...extra }]
} as KubeObject)

const run = (o: KubeObject, objects: ReadonlyArray<KubeObject> = [], attach = none) => sortedGroup(group, o, objects, attach)

describe("role endpointslice", () => {
  it("labels conditions, hostname, zone, node name, topology and ports; the Node targetRef's node wins (TestEndpointsSlicesDiscoveryWithNodeMetadata)", () => {
    const svc = { kind: "Service", metadata: { name: "testendpoints", namespace: "default", labels: { "app/name": "test" } } }
    const got = run(makeEndpointSliceV1(), [svc, node("foobar", { az: "us-east1" }), node("barbaz", { az: "us-west2" })], { ...none, node: true })
    expect(got.source).toBe("endpointslice/default/testendpoints")
    expect(got.labels).toEqual({
      [`${s}address_type`]: "IPv4",
      [`${s}name`]: "testendpoints",
      [`${s}label_kubernetes_io_service_name`]: "testendpoints",
      [`${s}labelpresent_kubernetes_io_service_name`]: "true",
      [`${s}annotation_test_annotation`]: "test",
      [`${s}annotationpresent_test_annotation`]: "true",
      __meta_kubernetes_namespace: "default",
      __meta_kubernetes_service_label_app_name: "test",
      __meta_kubernetes_service_labelpresent_app_name: "true",
      __meta_kubernetes_service_name: "testendpoints"
    })
    expect(got.targets).toEqual([
      // The empty targetRef gives empty (absent) target kind and name.
      { __address__: "1.2.3.4:9000", ...conditions(true, true, false), [`${s}endpoint_hostname`]: "testendpoint1",
        [`${s}endpoint_node_name`]: "foobar", [`${s}endpoint_topology_present_topology`]: "true", [`${s}endpoint_topology_topology`]: "value",
        [`${s}endpoint_zone`]: "us-east-1a", ...port9000,
        __meta_kubernetes_node_label_az: "us-east1", __meta_kubernetes_node_labelpresent_az: "true", __meta_kubernetes_node_name: "foobar" },
      { __address__: "2.3.4.5:9000", ...conditions(true, true, false), [`${s}endpoint_zone`]: "us-east-1b", ...port9000 },
      { __address__: "3.4.5.6:9000", ...conditions(false, true, true), [`${s}endpoint_zone`]: "us-east-1c", ...port9000 },
      { __address__: "4.5.6.7:9000", [`${s}address_target_kind`]: "Node", [`${s}address_target_name`]: "barbaz", ...conditions(true, true, false),
        [`${s}endpoint_zone`]: "us-east-1a", ...port9000,
        __meta_kubernetes_node_label_az: "us-west2", __meta_kubernetes_node_labelpresent_az: "true", __meta_kubernetes_node_name: "barbaz" }
    ])
  })

  it("takes the node of a Node targetRef over nodeName, unlike the endpoints role (2.45 #12338)", () => {
    const slice = podSlice([{ port: 10250 }], { nodeName: "a", targetRef: { kind: "Node", name: "b" } })
    const got = run(slice, [node("a", {}), node("b", {})], { ...none, node: true })
    expect(got.targets[0]).toMatchObject({ [`${s}endpoint_node_name`]: "a", __meta_kubernetes_node_name: "b" })
    // And no node labels at all when that node is not in the store, even though nodeName's is.
    expect(run(slice, [node("a", {})], { ...none, node: true }).targets[0]).not.toHaveProperty("__meta_kubernetes_node_name")
  })

  it("finds the Service by the kubernetes.io/service-name label only", () => {
    const svc = { kind: "Service", metadata: { name: "testsidecar", namespace: "default" } }
    expect(run(podSlice([{ port: 80 }]), [svc]).labels).not.toHaveProperty("__meta_kubernetes_service_name")
  })

  it("matches and targets init-container ports, marked init (3.0 #14929, TestEndpointSliceDiscoverySidecarContainer)", () => {
    const p = pod({
      initContainers: [
        { name: "ic1", image: "ic1:latest", ports: [{ name: "initport", containerPort: 1111, protocol: "TCP" }] },
        { name: "ic2", image: "ic2:latest", ports: [{ name: "initport", containerPort: 9111, protocol: "TCP" }] }
      ],
      containers: [{ name: "c1", image: "c1:latest", ports: [{ name: "mainport", containerPort: 9000, protocol: "TCP" }] }]
    })
    const slice = podSlice([{ name: "testport", port: 9000, protocol: "TCP" }, { name: "initport", port: 9111, protocol: "TCP" }])
    const endpoint = (n: number, name: string) => ({
      [`${s}address_target_kind`]: "Pod", [`${s}address_target_name`]: "testpod", [`${s}port`]: String(n), [`${s}port_name`]: name, [`${s}port_protocol`]: "TCP"
    })
    const container = (name: string, port: string, number: number, init: boolean) => ({
      __meta_kubernetes_pod_container_image: `${name}:latest`, __meta_kubernetes_pod_container_name: name,
      __meta_kubernetes_pod_container_port_name: port, __meta_kubernetes_pod_container_port_number: String(number),
      __meta_kubernetes_pod_container_port_protocol: "TCP", __meta_kubernetes_pod_container_init: String(init)
    })
    const got = run(slice, [p])
    expect(got.labels).toEqual({ [`${s}address_type`]: "IPv4", [`${s}name`]: "testsidecar", __meta_kubernetes_namespace: "default" })
    expect(got.targets).toEqual([
      { __address__: "4.3.2.1:1111", ...container("ic1", "initport", 1111, true), ...testPodLabels },
      { __address__: "4.3.2.1:9000", ...endpoint(9000, "testport"), ...container("c1", "mainport", 9000, false), ...testPodLabels },
      { __address__: "4.3.2.1:9111", ...endpoint(9111, "initport"), ...container("ic2", "initport", 9111, true), ...testPodLabels }
    ])
  })

  it("labels a matched port with the container port's own protocol, unlike the endpoints role", () => {
    const p = pod({ containers: [{ name: "vector", ports: [{ name: "syslog-tcp", containerPort: 514, protocol: "TCP" }, { name: "syslog-udp", containerPort: 514, protocol: "UDP" }] }] })
    const targets = run(podSlice([{ name: "syslog-udp", port: 514, protocol: "UDP" }]), [p]).targets
    expect(targets).toHaveLength(1)
    expect(targets[0]).toMatchObject({ [`${s}port_protocol`]: "UDP", __meta_kubernetes_pod_container_port_name: "syslog-tcp", __meta_kubernetes_pod_container_port_protocol: "TCP" })
  })

  it("leaves the address bare for a port without a number, which matches and covers no container port", () => {
    const p = pod({ containers: [{ name: "c1", ports: [{ containerPort: 9000, protocol: "TCP" }] }] })
    const targets = run(podSlice([{ name: null, port: null, protocol: "TCP" }]), [p]).targets
    expect(targets.map((t) => t["__address__"])).toEqual(["4.3.2.1", "4.3.2.1:9000"])
    expect(targets[0]).not.toHaveProperty(`${s}port`)
    expect(targets[0]).not.toHaveProperty(`${s}port_name`)
    expect(targets[0]).not.toHaveProperty("__meta_kubernetes_pod_container_name")
  })

  it("sets only the conditions the endpoint has (a mirrored slice sets just ready)", () => {
    const slice = { ...podSlice([{ port: 80 }], { conditions: { ready: false } }) }
    const t = run(slice).targets[0]!
    expect(t[`${s}endpoint_conditions_ready`]).toBe("false")
    expect(t).not.toHaveProperty(`${s}endpoint_conditions_serving`)
    expect(t).not.toHaveProperty(`${s}endpoint_conditions_terminating`)
  })

  describe("dual-stack Services (3.11 #18192)", () => {
    const service = (policy: string, families: ReadonlyArray<string>) =>
      ({ kind: "Service", metadata: { name: "testsvc", namespace: "default" }, spec: { ipFamilyPolicy: policy, ipFamilies: families } }) as KubeObject
    const slice = (name: string, addressType: string, address: string) => ({
      kind: "EndpointSlice",
      metadata: { name, namespace: "default", labels: { "kubernetes.io/service-name": "testsvc" } },
      addressType,
      ports: [{ name: "http", port: 9000, protocol: "TCP" }],
      endpoints: [{ addresses: [address], conditions: { ready: true } }]
    }) as KubeObject
    const v4 = slice("testsvc-ipv4", "IPv4", "1.2.3.4")
    const v6 = slice("testsvc-ipv6", "IPv6", "fd00::1")
    const addresses = (sl: KubeObject, objects: ReadonlyArray<KubeObject>) => run(sl, objects).targets.map((t) => t["__address__"])

    it("skip the slice of the second family, keeping its group labels (PreferDualStack and RequireDualStack)", () => {
      for (const policy of ["PreferDualStack", "RequireDualStack"]) {
        const svc = service(policy, ["IPv4", "IPv6"])
        expect(addresses(v4, [svc])).toEqual(["1.2.3.4:9000"])
        const secondary = run(v6, [svc])
        expect(secondary.targets).toEqual([])
        expect(secondary.labels).toMatchObject({ [`${s}address_type`]: "IPv6", __meta_kubernetes_service_name: "testsvc" })
      }
    })

    it("follow the Service's first family, IPv6 included", () => {
      const svc = service("PreferDualStack", ["IPv6", "IPv4"])
      expect(addresses(v6, [svc])).toEqual(["[fd00::1]:9000"])
      expect(addresses(v4, [svc])).toEqual([])
    })

    it("leave single-stack Services, Services without families and Services outside the store alone", () => {
      expect(addresses(v6, [service("SingleStack", ["IPv6"])])).toEqual(["[fd00::1]:9000"])
      expect(addresses(v6, [service("SingleStack", ["IPv4"])])).toEqual(["[fd00::1]:9000"])
      expect(addresses(v6, [service("PreferDualStack", [])])).toEqual(["[fd00::1]:9000"])
      expect(addresses(v6, [])).toEqual(["[fd00::1]:9000"])
    })

    it("drop an FQDN slice of a dual-stack Service too: its address type is no IP family", () => {
      expect(addresses(slice("testsvc-fqdn", "FQDN", "db.example.com"), [service("RequireDualStack", ["IPv4", "IPv6"])])).toEqual([])
    })
  })
})
