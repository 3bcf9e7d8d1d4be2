/**
 * The pure half of `kubernetes_sd_configs`: one function per role turns one Kubernetes object (with the objects it
 * joins) into the target group Prometheus 3 makes of it, with the same `__meta_kubernetes_*` labels. The provider
 * (layers/discovery/kubernetes) keeps the stores and calls the role again for every object a change affects.
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import type { TargetGroup } from "../targetGroup.ts"

export const roles = ["pod", "service", "endpoints", "endpointslice", "node", "ingress"] as const
export type Role = typeof roles[number]

export interface AttachMetadata {
  /** `attach_metadata.node`: the node's labels and annotations on pod, endpoints and endpointslice targets. */
  readonly node: boolean
  /** `attach_metadata.namespace`: the namespace's labels and annotations (Prometheus 3.6). */
  readonly namespace: boolean
  /** `attach_metadata.deployment`, `.job`, `.cronjob`: the pod's owning workload names (Prometheus 3.11). */
  readonly deployment: boolean
  readonly job: boolean
  readonly cronjob: boolean
}

/**
 * The other objects a role reads, from the job's own stores: a pod that a job's pod selector leaves out is not
 * found here, exactly as Prometheus's informer for that job would not have it.
 */
export interface Lookup {
  readonly pod: (namespace: string, name: string) => KubeObject | undefined
  readonly service: (namespace: string, name: string) => KubeObject | undefined
  readonly node: (name: string) => KubeObject | undefined
  readonly namespace: (name: string) => KubeObject | undefined
  readonly replicaSet: (namespace: string, name: string) => KubeObject | undefined
  readonly job: (namespace: string, name: string) => KubeObject | undefined
}

export type RoleFunction = (object: KubeObject, lookup: Lookup, attach: AttachMetadata) => TargetGroup
