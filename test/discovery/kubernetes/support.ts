/** What the role tests share: no attached metadata, and a lookup over given objects as a job's stores hold them. */
import type { AttachMetadata, Lookup } from "../../../src/discovery/kubernetes/types.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"

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
