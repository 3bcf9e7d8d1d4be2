/** Kubernetes resource types and the API paths to list and watch them. */
export interface ResourceType {
  /** "" for the core group. */
  readonly group: string
  readonly version: string
  readonly plural: string
  readonly kind: string
  readonly namespaced: boolean
}

export const pods: ResourceType = { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true }
export const services: ResourceType = { group: "", version: "v1", plural: "services", kind: "Service", namespaced: true }
export const endpoints: ResourceType = { group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true }
export const endpointSlices: ResourceType = { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true }
export const nodes: ResourceType = { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false }
export const namespaces: ResourceType = { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false }
export const ingresses: ResourceType = { group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true }
export const replicaSets: ResourceType = { group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true }
export const jobs: ResourceType = { group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true }

/** Every resource type by `apiVersion/Kind`, for loading objects. */
export const byKind: ReadonlyMap<string, ResourceType> = new Map(
  [pods, services, endpoints, endpointSlices, nodes, namespaces, ingresses, replicaSets, jobs].map((t) => [`${apiVersionOf(t)}/${t.kind}`, t])
)


export function apiVersionOf(t: Pick<ResourceType, "group" | "version">): string {
  return t.group === "" ? t.version : `${t.group}/${t.version}`
}

/** `/api/v1/namespaces/ns/pods`, `/apis/discovery.k8s.io/v1/endpointslices`, ... */
export const collectionPath = (t: ResourceType, namespace?: string): string => {
  const base = t.group === "" ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`
  return t.namespaced && namespace !== undefined && namespace !== "" ? `${base}/namespaces/${namespace}/${t.plural}` : `${base}/${t.plural}`
}

/** A human name for messages: `pods in namespace "otel"`, `endpointslices.discovery.k8s.io in all namespaces`. */
export const describeCollection = (t: ResourceType, namespace?: string): string => {
  const name = t.group === "" ? t.plural : `${t.plural}.${t.group}`
  if (!t.namespaced) return name
  return namespace === undefined || namespace === "" ? `${name} in all namespaces` : `${name} in namespace ${JSON.stringify(namespace)}`
}
