/**
 * `attach_metadata` labels that several of the pod, service and ingress roles add to a group's labels, as
 * Prometheus's `addNodeLabels` and `addNamespaceLabels` (discovery/kubernetes/endpoints.go) do.
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import { addObjectLabelsAndAnnotations, addObjectMetaLabels } from "./metadata.ts"
import type { Lookup } from "./types.ts"

/**
 * `attach_metadata.node`: the node's name, labels and annotations (annotations since 2.46, #10914). A node missing
 * from the job's node store adds nothing here; the pod role drops such pods before it gets this far.
 */
export const addNodeMetadata = (out: Record<string, string>, lookup: Lookup, nodeName: string): void => {
  const node = lookup.node(nodeName)
  if (node !== undefined) addObjectMetaLabels(out, node.metadata, "node")
}

/**
 * `attach_metadata.namespace` (3.6, #16831): the namespace's labels and annotations, without its name, which
 * `__meta_kubernetes_namespace` already carries. The namespace informer has no selector, so only a namespace that
 * does not exist (yet) adds nothing.
 */
export const addNamespaceMetadata = (out: Record<string, string>, lookup: Lookup, object: KubeObject): void => {
  const namespace = lookup.namespace(object.metadata.namespace ?? "")
  if (namespace !== undefined) addObjectLabelsAndAnnotations(out, namespace.metadata, "namespace")
}
