/**
 * What the role tests share: no attached metadata, a lookup over given objects as a job's stores hold them, and the
 * test pod of Prometheus's endpoints tests.
 */
import type { AttachMetadata, Lookup, RoleFunction } from "../../../src/discovery/kubernetes/types.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import * as L from "../../../src/labels/labels.ts"

export const none: AttachMetadata = { node: false, namespace: false, deployment: false, job: false, cronjob: false }

export const lookupOf = (...objects: ReadonlyArray<KubeObject>): Lookup => {
  const find = (kind: string, namespace: string | undefined, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace))
  return {
    pod: (ns, name) => find("Pod", ns, name),
    service: (ns, name) => find("Service", ns, name),
    node: (name) => find("Node", undefined, name),
    namespace: (name) => find("Namespace", undefined, name),
    replicaSet: (ns, name) => find("ReplicaSet", ns, name),
    job: (ns, name) => find("Job", ns, name)
  }
}

/** The group of a role object as plain records, targets in a stable order (Prometheus's seen-pods map has none). */
export const sortedGroup = (
  role: RoleFunction,
  object: KubeObject,
  objects: ReadonlyArray<KubeObject> = [],
  attach: AttachMetadata = none
) => {
  const tg = role(object, lookupOf(...objects), attach)
  const targets = tg.targets.map(L.toRecord).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  return { source: tg.source, labels: L.toRecord(tg.labels), targets }
}

export const node = (name: string, labels: Record<string, string>): KubeObject => ({ kind: "Node", metadata: { name, labels } } as KubeObject)

/** Prometheus's endpoints tests' `testpod`, behind address 4.3.2.1 on node `testnode`. */
export const testPod = (spec: object, status: object = { hostIP: "2.3.4.5", podIP: "4.3.2.1" }, meta: object = {}): KubeObject => ({
  kind: "Pod",
  metadata: { name: "testpod", namespace: "default", uid: "deadbeef", ...meta },
  spec: { nodeName: "testnode", ...spec },
  status
} as KubeObject)

/** The pod labels a target backed by `testPod` carries. */
export const testPodLabels = {
  __meta_kubernetes_pod_host_ip: "2.3.4.5",
  __meta_kubernetes_pod_ip: "4.3.2.1",
  __meta_kubernetes_pod_name: "testpod",
  __meta_kubernetes_pod_node_name: "testnode",
  __meta_kubernetes_pod_ready: "unknown",
  __meta_kubernetes_pod_uid: "deadbeef"
}
