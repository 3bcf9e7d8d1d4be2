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

export const apiVersionOf = (t: ResourceType): string => (t.group === "" ? t.version : `${t.group}/${t.version}`)

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
