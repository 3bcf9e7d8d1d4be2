/**
 * Role `endpoints`, for what the reference cluster does not show or deserves a name. The expectations follow
 * Prometheus 3.14's discovery/kubernetes/endpoints_test.go where a case exists there (labels with an empty value
 * are left out: Prometheus treats them as absent), and its `buildEndpoints` otherwise.
 */
import { describe, expect, it } from "vitest"
import { group } from "../../../src/discovery/kubernetes/endpoints.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import { node, none, sortedGroup, testPod as pod, testPodLabels } from "./support.ts"

/** endpoints_test.go `makeEndpoints`. */
const makeEndpoints = (namespace: string): KubeObject => ({
  kind: "Endpoints",
  metadata: { name: "testendpoints", namespace, annotations: { "test.annotation": "test" } },
  subsets: [
    { addresses: [{ ip: "1.2.3.4", hostname: "testendpoint1", nodeName: "foobar" }], ports: [{ name: "testport", port: 9000, protocol: "TCP" }] },
    { addresses: [{ ip: "2.3.4.5" }], notReadyAddresses: [{ ip: "2.3.4.5" }], ports: [{ name: "testport", port: 9001, protocol: "TCP" }] },
    { addresses: [{ ip: "6.7.8.9", targetRef: { kind: "Node", name: "barbaz" } }], ports: [{ name: "testport", port: 9002, protocol: "TCP" }] }
  ]
} as KubeObject)

const e = "__meta_kubernetes_endpoint_"

const podBacked = (ports: ReadonlyArray<object>): KubeObject => ({
  kind: "Endpoints",
  metadata: { name: "testsidecar", namespace: "default" },
  subsets: [{ addresses: [{ ip: "4.3.2.1", targetRef: { kind: "Pod", name: "testpod", namespace: "default" } }], ports }]
} as KubeObject)

const run = (o: KubeObject, objects: ReadonlyArray<KubeObject> = [], attach = none) => sortedGroup(group, o, objects, attach)

describe("role endpoints", () => {
  it("puts Service and Endpoints metadata on the group, the address and its node on each target (TestEndpointsDiscoveryWithNodeMetadata)", () => {
    const svc = { kind: "Service", metadata: { name: "testendpoints", namespace: "default", labels: { "app/name": "test" } } }
    const got = run(makeEndpoints("default"), [svc, node("foobar", { az: "us-east1" }), node("barbaz", { az: "us-west2" })], { ...none, node: true })
    expect(got.source).toBe("endpoints/default/testendpoints")
    expect(got.labels).toEqual({
      __meta_kubernetes_namespace: "default",
      __meta_kubernetes_endpoints_name: "testendpoints",
      __meta_kubernetes_service_label_app_name: "test",
      __meta_kubernetes_service_labelpresent_app_name: "true",
      __meta_kubernetes_service_name: "testendpoints",
      __meta_kubernetes_endpoints_annotation_test_annotation: "test",
      __meta_kubernetes_endpoints_annotationpresent_test_annotation: "true"
    })
    const port = (n: number) => ({ [`${e}port_name`]: "testport", [`${e}port_protocol`]: "TCP", __address__: `${n === 9000 ? "1.2.3.4" : n === 9001 ? "2.3.4.5" : "6.7.8.9"}:${n}` })
    expect(got.targets).toEqual([
      { ...port(9000), [`${e}hostname`]: "testendpoint1", [`${e}node_name`]: "foobar", [`${e}ready`]: "true",
        __meta_kubernetes_node_label_az: "us-east1", __meta_kubernetes_node_labelpresent_az: "true", __meta_kubernetes_node_name: "foobar" },
      { ...port(9001), [`${e}ready`]: "false" },
      { ...port(9001), [`${e}ready`]: "true" },
      // A Node targetRef stands in for the missing nodeName (2.45, #12338).
      { ...port(9002), [`${e}address_target_kind`]: "Node", [`${e}address_target_name`]: "barbaz", [`${e}ready`]: "true",
        __meta_kubernetes_node_label_az: "us-west2", __meta_kubernetes_node_labelpresent_az: "true", __meta_kubernetes_node_name: "barbaz" }
    ])
  })

  it("prefers the address's nodeName to a Node targetRef, unlike the endpointslice role", () => {
    const eps = { kind: "Endpoints", metadata: { name: "kubelet", namespace: "kube-system" },
      subsets: [{ addresses: [{ ip: "10.0.0.1", nodeName: "a", targetRef: { kind: "Node", name: "b" } }], ports: [{ port: 10250 }] }] } as KubeObject
    const got = run(eps, [node("a", {}), node("b", {})], { ...none, node: true })
    expect(got.targets[0]?.["__meta_kubernetes_node_name"]).toBe("a")
  })

  it("adds no node labels for a node missing from the store, and keeps the target", () => {
    const got = run(makeEndpoints("default"), [], { ...none, node: true })
    expect(got.targets).toHaveLength(4)
    expect(got.targets.some((t) => "__meta_kubernetes_node_name" in t)).toBe(false)
  })

  it("adds the namespace's labels and annotations to the group with attach_metadata.namespace (3.6, TestEndpointsDiscoveryWithNamespaceMetadata)", () => {
    const ns = { kind: "Namespace", metadata: { name: "test-ns", labels: { environment: "production", team: "backend" }, annotations: { owner: "platform", version: "v1.2.3" } } }
    const got = run(makeEndpoints("test-ns"), [ns], { ...none, namespace: true })
    expect(got.labels).toEqual({
      __meta_kubernetes_namespace: "test-ns",
      __meta_kubernetes_namespace_annotation_owner: "platform",
      __meta_kubernetes_namespace_annotationpresent_owner: "true",
      __meta_kubernetes_namespace_annotation_version: "v1.2.3",
      __meta_kubernetes_namespace_annotationpresent_version: "true",
      __meta_kubernetes_namespace_label_environment: "production",
      __meta_kubernetes_namespace_labelpresent_environment: "true",
      __meta_kubernetes_namespace_label_team: "backend",
      __meta_kubernetes_namespace_labelpresent_team: "true",
      __meta_kubernetes_endpoints_name: "testendpoints",
      __meta_kubernetes_endpoints_annotation_test_annotation: "test",
      __meta_kubernetes_endpoints_annotationpresent_test_annotation: "true"
    })
    // Without the switch, a Namespace in the store changes nothing.
    expect(run(makeEndpoints("test-ns"), [ns]).labels).not.toHaveProperty("__meta_kubernetes_namespace_label_team")
  })

  it("matches and targets init-container ports, marked init (3.0 #14929, TestEndpointsDiscoverySidecarContainer)", () => {
    const p = pod({
      initContainers: [
        { name: "ic1", image: "ic1:latest", ports: [{ name: "initport", containerPort: 1111, protocol: "TCP" }] },
        { name: "ic2", image: "ic2:latest", ports: [{ name: "initport", containerPort: 9111, protocol: "TCP" }] }
      ],
      containers: [{ name: "c1", image: "c1:latest", ports: [{ name: "mainport", containerPort: 9000, protocol: "TCP" }] }]
    })
    const eps = podBacked([{ name: "testport", port: 9000, protocol: "TCP" }, { name: "initport", port: 9111, protocol: "TCP" }])
    const endpoint = { [`${e}address_target_kind`]: "Pod", [`${e}address_target_name`]: "testpod", [`${e}port_protocol`]: "TCP", [`${e}ready`]: "true" }
    const container = (name: string, port: string, number: number, init: boolean) => ({
      __meta_kubernetes_pod_container_image: `${name}:latest`, __meta_kubernetes_pod_container_name: name,
      __meta_kubernetes_pod_container_port_name: port, __meta_kubernetes_pod_container_port_number: String(number),
      __meta_kubernetes_pod_container_port_protocol: "TCP", __meta_kubernetes_pod_container_init: String(init)
    })
    expect(run(eps, [p]).targets).toEqual([
      { __address__: "4.3.2.1:1111", ...container("ic1", "initport", 1111, true), ...testPodLabels },
      { __address__: "4.3.2.1:9000", ...endpoint, [`${e}port_name`]: "testport", ...container("c1", "mainport", 9000, false), ...testPodLabels },
      { __address__: "4.3.2.1:9111", ...endpoint, [`${e}port_name`]: "initport", ...container("ic2", "initport", 9111, true), ...testPodLabels }
    ])
  })

  it("labels a matched port from the last container that has the number, with the endpoint port's protocol", () => {
    const p = pod({ containers: [
      { name: "a", image: "a", ports: [{ name: "a-tcp", containerPort: 514, protocol: "TCP" }, { name: "a-udp", containerPort: 514, protocol: "UDP" }] },
      { name: "b", image: "b", ports: [{ name: "b-tcp", containerPort: 514, protocol: "TCP" }] }
    ] })
    const targets = run(podBacked([{ name: "syslog", port: 514, protocol: "UDP" }]), [p]).targets
    // One endpoint target (every container port is covered), labelled from container b's TCP port but "UDP".
    expect(targets).toHaveLength(1)
    expect(targets[0]).toMatchObject({
      __meta_kubernetes_pod_container_name: "b", __meta_kubernetes_pod_container_port_name: "b-tcp",
      __meta_kubernetes_pod_container_port_protocol: "UDP", __meta_kubernetes_pod_container_init: "false"
    })
  })

  it("leaves container labels off an endpoint port that no container has", () => {
    const p = pod({ containers: [{ name: "c1", ports: [{ containerPort: 9000, protocol: "TCP" }] }] })
    const targets = run(podBacked([{ port: 8080, protocol: "TCP" }]), [p]).targets
    expect(targets.find((t) => t["__address__"] === "4.3.2.1:8080")).not.toHaveProperty("__meta_kubernetes_pod_container_init")
    expect(targets.map((t) => t["__address__"])).toEqual(["4.3.2.1:8080", "4.3.2.1:9000"])
  })

  it("gives a pod without an IP no extra targets, but still its labels on the endpoint target (2.46 #11642)", () => {
    const p = pod({ containers: [{ name: "c1", ports: [{ containerPort: 9000 }, { containerPort: 9001 }] }] }, { phase: "Pending" })
    const targets = run(podBacked([{ port: 9000, protocol: "TCP" }]), [p]).targets
    expect(targets).toHaveLength(1)
    expect(targets[0]).toMatchObject({ __address__: "4.3.2.1:9000", __meta_kubernetes_pod_name: "testpod", __meta_kubernetes_pod_phase: "Pending" })
  })

  it("joins nothing for a targetRef to a pod outside the job's pod store, nor one in another namespace of the same name", () => {
    const p = pod({ containers: [{ name: "c1", ports: [{ containerPort: 9000 }, { containerPort: 9001 }] }] }, undefined, { namespace: "other" })
    const targets = run(podBacked([{ port: 9000, protocol: "TCP" }]), [p]).targets
    expect(targets).toEqual([{ __address__: "4.3.2.1:9000", [`${e}address_target_kind`]: "Pod", [`${e}address_target_name`]: "testpod", [`${e}port_protocol`]: "TCP", [`${e}ready`]: "true" }])
  })

  it("adds the pod's workload names only when asked, and only through owners in the store (3.11 #17774)", () => {
    const owned = (kind: string, name: string) => ({ ownerReferences: [{ kind, name, controller: true }] })
    const rs = { kind: "ReplicaSet", metadata: { name: "web-5d8", namespace: "default", ...owned("Deployment", "web") } }
    const job = { kind: "Job", metadata: { name: "nightly-29011860", namespace: "default", ...owned("CronJob", "nightly") } }
    const spec = { containers: [{ name: "c1" }] }
    const eps = podBacked([{ port: 80, protocol: "TCP" }])
    const all = { ...none, deployment: true, job: true, cronjob: true }
    const byRs = pod(spec, undefined, owned("ReplicaSet", "web-5d8"))
    expect(run(eps, [byRs, rs], all).targets[0]).toMatchObject({ __meta_kubernetes_pod_deployment_name: "web", __meta_kubernetes_pod_controller_kind: "ReplicaSet" })
    expect(run(eps, [byRs, rs]).targets[0]).not.toHaveProperty("__meta_kubernetes_pod_deployment_name")
    expect(run(eps, [byRs], all).targets[0]).not.toHaveProperty("__meta_kubernetes_pod_deployment_name")
    const byJob = pod(spec, undefined, owned("Job", "nightly-29011860"))
    expect(run(eps, [byJob, job], all).targets[0]).toMatchObject({ __meta_kubernetes_pod_job_name: "nightly-29011860", __meta_kubernetes_pod_cronjob_name: "nightly" })
    // The job name needs no Job object; the cronjob name does.
    expect(run(eps, [byJob], { ...none, job: true, cronjob: true }).targets[0]).toMatchObject({ __meta_kubernetes_pod_job_name: "nightly-29011860" })
    expect(run(eps, [byJob], { ...none, job: true, cronjob: true }).targets[0]).not.toHaveProperty("__meta_kubernetes_pod_cronjob_name")
  })

  it("gives an Endpoints object without subsets a group with no targets, which removes the source's targets", () => {
    const got = run({ kind: "Endpoints", metadata: { name: "empty", namespace: "default" } } as KubeObject)
    expect(got).toEqual({ source: "endpoints/default/empty", labels: { __meta_kubernetes_endpoints_name: "empty", __meta_kubernetes_namespace: "default" }, targets: [] })
  })

  it("brackets IPv6 addresses", () => {
    const eps = { kind: "Endpoints", metadata: { name: "v6", namespace: "default" }, subsets: [{ addresses: [{ ip: "fd00::1" }], ports: [{ port: 8080 }] }] } as KubeObject
    expect(run(eps).targets[0]?.["__address__"]).toBe("[fd00::1]:8080")
  })
})
