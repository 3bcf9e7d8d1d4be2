/**
 * Role `pod`, against Prometheus 3.14's discovery/kubernetes/pod.go (`buildPod`, `podLabels`) and the cases of its
 * pod_test.go that the reference cluster does not cover or that deserve a name.
 */
import { describe, expect, it } from "vitest"
import { group } from "../../../src/discovery/kubernetes/pod.ts"
import type { AttachMetadata, Lookup } from "../../../src/discovery/kubernetes/types.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import * as L from "../../../src/labels/labels.ts"
import { lookupOf, none } from "./support.ts"

const pod = (over: { metadata?: object; spec?: object; status?: object } = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "shop", uid: "u-1", ...over.metadata },
  spec: {
    nodeName: "n1",
    containers: [{ name: "web", image: "web:1", ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }] }],
    ...over.spec
  },
  status: {
    phase: "Running",
    podIP: "10.0.0.5",
    hostIP: "192.168.0.1",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "web", containerID: "containerd://abc" }],
    ...over.status
  }
} as KubeObject)

const build = (p: KubeObject, lookup: Lookup = lookupOf(), attach: AttachMetadata = none) => {
  const g = group(p, lookup, attach)
  return { source: g.source, labels: L.toRecord(g.labels), targets: g.targets.map(L.toRecord) }
}

describe("role pod", () => {
  it("puts pod-wide labels on the group and one target per container port", () => {
    const g = build(pod())
    expect(g.source).toBe("pod/shop/web-0")
    expect(g.labels).toEqual({
      __meta_kubernetes_namespace: "shop",
      __meta_kubernetes_pod_name: "web-0",
      __meta_kubernetes_pod_ip: "10.0.0.5",
      __meta_kubernetes_pod_ready: "true",
      __meta_kubernetes_pod_phase: "Running",
      __meta_kubernetes_pod_node_name: "n1",
      __meta_kubernetes_pod_host_ip: "192.168.0.1",
      __meta_kubernetes_pod_uid: "u-1"
    })
    expect(g.targets).toEqual([{
      __address__: "10.0.0.5:8080",
      __meta_kubernetes_pod_container_name: "web",
      __meta_kubernetes_pod_container_id: "containerd://abc",
      __meta_kubernetes_pod_container_image: "web:1",
      __meta_kubernetes_pod_container_init: "false",
      __meta_kubernetes_pod_container_port_name: "http",
      __meta_kubernetes_pod_container_port_number: "8080",
      __meta_kubernetes_pod_container_port_protocol: "TCP"
    }])
  })

  it("gives a container without ports one target at the bare pod IP, with no port labels", () => {
    const g = build(pod({ spec: { containers: [{ name: "sidecar", image: "s:1" }] }, status: { containerStatuses: [] } }))
    expect(g.targets).toEqual([{
      __address__: "10.0.0.5",
      __meta_kubernetes_pod_container_name: "sidecar",
      __meta_kubernetes_pod_container_image: "s:1",
      __meta_kubernetes_pod_container_init: "false"
    }])
  })

  it("brackets an IPv6 pod IP with a port, and leaves it bare without one", () => {
    const g = build(pod({
      spec: { containers: [{ name: "a", ports: [{ containerPort: 9962 }] }, { name: "b" }] },
      status: { podIP: "2001:db8:40::23" }
    }))
    expect(g.targets.map((t) => t["__address__"])).toEqual(["[2001:db8:40::23]:9962", "2001:db8:40::23"])
  })

  it("lists init containers after the others, sidecars included, with their IDs from initContainerStatuses", () => {
    const g = build(pod({
      spec: {
        initContainers: [
          { name: "migrate", image: "m:1" },
          { name: "envoy", image: "e:1", restartPolicy: "Always", ports: [{ containerPort: 15090, name: "http-envoy-prom", protocol: "TCP" }] }
        ]
      },
      status: { initContainerStatuses: [{ name: "migrate", containerID: "containerd://m" }, { name: "envoy", containerID: "containerd://e" }] }
    }))
    expect(g.targets.map((t) => [t["__address__"], t["__meta_kubernetes_pod_container_name"], t["__meta_kubernetes_pod_container_init"], t["__meta_kubernetes_pod_container_id"]]))
      .toEqual([
        ["10.0.0.5:8080", "web", "false", "containerd://abc"],
        ["10.0.0.5", "migrate", "true", "containerd://m"],
        ["10.0.0.5:15090", "envoy", "true", "containerd://e"]
      ])
  })

  it("ignores ephemeral (debug) containers", () => {
    const g = build(pod({ spec: { ephemeralContainers: [{ name: "debug", image: "busybox", ports: [{ containerPort: 1 }] }] } }))
    expect(g.targets.map((t) => t["__meta_kubernetes_pod_container_name"])).toEqual(["web"])
  })

  it("gives no targets to a pod without an IP, keeping its source so that its old targets go", () => {
    expect(build(pod({ status: { podIP: undefined } }))).toEqual({ source: "pod/shop/web-0", labels: {}, targets: [] })
  })

  it("reports readiness from the Ready condition in lower case, `unknown` without one", () => {
    expect(build(pod({ status: { conditions: [{ type: "Ready", status: "False" }] } })).labels["__meta_kubernetes_pod_ready"]).toBe("false")
    expect(build(pod({ status: { conditions: [{ type: "PodScheduled", status: "True" }] } })).labels["__meta_kubernetes_pod_ready"]).toBe("unknown")
  })

  it("takes the controller from the owner reference marked controller, ignoring other owners", () => {
    const g = build(pod({
      metadata: { ownerReferences: [{ kind: "ConfigMap", name: "cm" }, { kind: "StatefulSet", name: "web", controller: true }] }
    }))
    expect(g.labels["__meta_kubernetes_pod_controller_kind"]).toBe("StatefulSet")
    expect(g.labels["__meta_kubernetes_pod_controller_name"]).toBe("web")
    expect(build(pod({ metadata: { ownerReferences: [{ kind: "ConfigMap", name: "cm" }] } })).labels["__meta_kubernetes_pod_controller_kind"]).toBeUndefined()
  })

  it("sanitises label and annotation names, and an empty value leaves only the `present` label", () => {
    const g = build(pod({ metadata: { labels: { "2fa.example.com/required": "yes" }, annotations: { "example.com/empty": "" } } }))
    expect(g.labels["__meta_kubernetes_pod_label_2fa_example_com_required"]).toBe("yes")
    expect(g.labels["__meta_kubernetes_pod_labelpresent_2fa_example_com_required"]).toBe("true")
    expect(g.labels["__meta_kubernetes_pod_annotation_example_com_empty"]).toBeUndefined()
    expect(g.labels["__meta_kubernetes_pod_annotationpresent_example_com_empty"]).toBe("true")
  })

  describe("attach_metadata.node", () => {
    const node: KubeObject = { kind: "Node", metadata: { name: "n1", labels: { "topology.kubernetes.io/zone": "z1" }, annotations: { "example.com/rack": "r7" } } }
    const attach = { ...none, node: true }

    it("adds the node's name, labels and annotations", () => {
      const g = build(pod(), lookupOf(node), attach)
      expect(g.labels).toMatchObject({
        __meta_kubernetes_node_name: "n1",
        __meta_kubernetes_node_label_topology_kubernetes_io_zone: "z1",
        __meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone: "true",
        __meta_kubernetes_node_annotation_example_com_rack: "r7",
        __meta_kubernetes_node_annotationpresent_example_com_rack: "true"
      })
    })

    it("drops a pod whose node is not in the node store (3.11, #18006)", () => {
      expect(build(pod(), lookupOf(), attach)).toEqual({ source: "pod/shop/web-0", labels: {}, targets: [] })
    })

    it("keeps such a pod, without node labels, when node metadata is off", () => {
      expect(build(pod(), lookupOf()).targets).toHaveLength(1)
    })
  })

  it("attach_metadata.namespace adds the namespace's labels and annotations but no second name", () => {
    const ns: KubeObject = { kind: "Namespace", metadata: { name: "shop", labels: { team: "web" }, annotations: { "example.com/owner": "ann" } } }
    const g = build(pod(), lookupOf(ns), { ...none, namespace: true })
    expect(Object.keys(g.labels).filter((k) => k.startsWith("__meta_kubernetes_namespace")).sort()).toEqual([
      "__meta_kubernetes_namespace",
      "__meta_kubernetes_namespace_annotation_example_com_owner",
      "__meta_kubernetes_namespace_annotationpresent_example_com_owner",
      "__meta_kubernetes_namespace_label_team",
      "__meta_kubernetes_namespace_labelpresent_team"
    ])
  })

  describe("owning workloads (3.11, #17774)", () => {
    const rsPod = pod({ metadata: { ownerReferences: [{ kind: "ReplicaSet", name: "web-7d9", controller: true }] } })
    const rs: KubeObject = { kind: "ReplicaSet", metadata: { name: "web-7d9", namespace: "shop", ownerReferences: [{ kind: "Deployment", name: "web", controller: true }] } }
    const jobPod = pod({ metadata: { ownerReferences: [{ kind: "Job", name: "nightly-29011860", controller: true }] } })
    const job: KubeObject = { kind: "Job", metadata: { name: "nightly-29011860", namespace: "shop", ownerReferences: [{ kind: "CronJob", name: "nightly", controller: true }] } }

    it("names the deployment through the pod's ReplicaSet", () => {
      expect(build(rsPod, lookupOf(rs), { ...none, deployment: true }).labels["__meta_kubernetes_pod_deployment_name"]).toBe("web")
    })

    it("adds no deployment name when the ReplicaSet is unknown, or when not asked for", () => {
      expect(build(rsPod, lookupOf(), { ...none, deployment: true }).labels["__meta_kubernetes_pod_deployment_name"]).toBeUndefined()
      expect(build(rsPod, lookupOf(rs)).labels["__meta_kubernetes_pod_deployment_name"]).toBeUndefined()
    })

    it("names the job from the pod's own owner reference, without needing the Job", () => {
      expect(build(jobPod, lookupOf(), { ...none, job: true }).labels["__meta_kubernetes_pod_job_name"]).toBe("nightly-29011860")
    })

    it("names the cronjob through the pod's Job", () => {
      const g = build(jobPod, lookupOf(job), { ...none, cronjob: true })
      expect(g.labels["__meta_kubernetes_pod_cronjob_name"]).toBe("nightly")
      expect(g.labels["__meta_kubernetes_pod_job_name"]).toBeUndefined()
    })
  })
})
