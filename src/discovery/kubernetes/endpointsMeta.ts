/**
 * What the endpoints and endpointslice roles share beyond the pod (podMeta.ts) and the node and namespace metadata
 * (attach.ts): the Service's group labels (Prometheus 3.14 `serviceLabels`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"

export const namespaceLabel = `${metaPrefix}namespace`

/** `serviceLabels`: the Service's namespace, name, labels and annotations, as group labels. */
export const addServiceLabels = (out: Record<string, string>, service: KubeObject): void => {
  out[namespaceLabel] = service.metadata.namespace ?? ""
  addObjectMetaLabels(out, service.metadata, "service")
}

/** Go's `*string` from JSON: `null` and absent are both nil. */
export const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null
