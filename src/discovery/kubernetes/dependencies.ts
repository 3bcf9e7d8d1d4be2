/**
 * Which of a job's role objects a change of another object affects, so that only their groups are built again:
 * pods follow their node, namespace and owning workload; endpoints and endpoint slices follow the pods they point
 * at, their service, the nodes they name, and their namespace.
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import type { Role } from "./types.ts"
import type { WatchPurpose } from "./watches.ts"

type Json = Record<string, any>

interface Ref {
  readonly kind?: string
  readonly name?: string
  readonly namespace?: string
}

/** The target references and node names of an Endpoints object's addresses. */
const endpointsAddresses = (o: Json): ReadonlyArray<{ readonly nodeName?: string; readonly targetRef?: Ref }> =>
  ((o["subsets"] ?? []) as ReadonlyArray<Json>).flatMap((s) => [...(s["addresses"] ?? []), ...(s["notReadyAddresses"] ?? [])])

const sliceEndpoints = (o: Json): ReadonlyArray<{ readonly nodeName?: string; readonly targetRef?: Ref }> =>
  (o["endpoints"] ?? []) as ReadonlyArray<Json>

const refersToNode = (addresses: ReadonlyArray<{ readonly nodeName?: string; readonly targetRef?: Ref }>, node: string) =>
  addresses.some((a) => a.nodeName === node || (a.targetRef?.kind === "Node" && a.targetRef.name === node))

const refersToPod = (addresses: ReadonlyArray<{ readonly targetRef?: Ref }>, pod: string) =>
  addresses.some((a) => a.targetRef?.kind === "Pod" && a.targetRef.name === pod)

export const affects = (role: Role, object: KubeObject, purpose: WatchPurpose, other: KubeObject): boolean => {
  const o = object as unknown as Json
  const sameNamespace = object.metadata.namespace === other.metadata.namespace
  const name = other.metadata.name
  switch (purpose) {
    case "role":
      return false
    case "namespace":
      return object.metadata.namespace === name
    case "node":
      if (role === "pod") return o["spec"]?.["nodeName"] === name
      if (role === "endpoints") return refersToNode(endpointsAddresses(o), name)
      if (role === "endpointslice") return refersToNode(sliceEndpoints(o), name)
      return false
    case "pod":
      if (!sameNamespace) return false
      if (role === "endpoints") return refersToPod(endpointsAddresses(o), name)
      if (role === "endpointslice") return refersToPod(sliceEndpoints(o), name)
      return false
    case "service":
      if (!sameNamespace) return false
      if (role === "endpoints") return object.metadata.name === name
      if (role === "endpointslice") return object.metadata.labels?.["kubernetes.io/service-name"] === name
      return false
    case "replicaset":
    case "job":
      // A pod's workload names come from its owners; a job also names its cronjob.
      return sameNamespace && (object.metadata.ownerReferences ?? []).some((r) => r.name === name)
  }
}

/** Whether an update of a joined object can change any group: only its labels and annotations are read. */
export const metadataChanged = (before: KubeObject | undefined, after: KubeObject): boolean =>
  before === undefined ||
  JSON.stringify(before.metadata.labels ?? {}) !== JSON.stringify(after.metadata.labels ?? {}) ||
  JSON.stringify(before.metadata.annotations ?? {}) !== JSON.stringify(after.metadata.annotations ?? {})
