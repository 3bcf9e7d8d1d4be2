/**
 * What a `kubernetes_sd_config` watches, as Prometheus's `Discovery.Run` sets up its informers: the role's own
 * resource in each namespace with its selector, the resources it joins (pods and services for the endpoints roles,
 * with their selectors), and cluster-wide nodes and namespaces when metadata is attached.
 */
import type { KubernetesSdConfig } from "../../config/prometheus/sd/kubernetes.ts"
import * as R from "../../kubernetes/resource.ts"
import type { Role } from "./types.ts"

export type WatchPurpose = "role" | "pod" | "service" | "node" | "namespace" | "replicaset" | "job"

export interface WatchSpec {
  readonly purpose: WatchPurpose
  readonly resource: R.ResourceType
  /** `undefined`: every namespace, or a cluster-scoped resource. */
  readonly namespace: string | undefined
  readonly labelSelector: string
  readonly fieldSelector: string
}

const roleResource: Record<Role, R.ResourceType> = {
  pod: R.pods, service: R.services, endpoints: R.endpoints, endpointslice: R.endpointSlices, node: R.nodes, ingress: R.ingresses
}

/** The namespaces to watch: the listed ones (and our own), or every namespace. */
export const namespacesOf = (c: KubernetesSdConfig, ownNamespace: string | undefined): ReadonlyArray<string | undefined> => {
  const names = [...c.namespaces.names]
  if (c.namespaces.own_namespace && ownNamespace !== undefined && ownNamespace !== "") names.push(ownNamespace)
  return names.length === 0 ? [undefined] : names
}

export const watchesFor = (c: KubernetesSdConfig, ownNamespace?: string): ReadonlyArray<WatchSpec> => {
  const selector = (role: Role) => c.selectors.find((s) => s.role === role) ?? { label: "", field: "" }
  const spec = (purpose: WatchPurpose, resource: R.ResourceType, namespace: string | undefined, role?: Role): WatchSpec => ({
    purpose,
    resource,
    namespace,
    labelSelector: role === undefined ? "" : selector(role).label,
    fieldSelector: role === undefined ? "" : selector(role).field
  })
  const out: Array<WatchSpec> = []
  const namespaces = c.role === "node" ? [undefined] : namespacesOf(c, ownNamespace)
  for (const ns of namespaces) {
    out.push(spec("role", roleResource[c.role], ns, c.role))
    if (c.role === "endpoints" || c.role === "endpointslice") {
      out.push(spec("service", R.services, ns, "service"))
      out.push(spec("pod", R.pods, ns, "pod"))
    }
    if (c.role === "pod" || c.role === "endpoints" || c.role === "endpointslice") {
      if (c.attach_metadata.deployment) out.push(spec("replicaset", R.replicaSets, ns))
      if (c.attach_metadata.job || c.attach_metadata.cronjob) out.push(spec("job", R.jobs, ns))
    }
  }
  const attachesNode = c.role === "pod" || c.role === "endpoints" || c.role === "endpointslice"
  if (attachesNode && c.attach_metadata.node) out.push(spec("node", R.nodes, undefined, "node"))
  if (c.role !== "node" && c.attach_metadata.namespace) out.push(spec("namespace", R.namespaces, undefined))
  return out
}
