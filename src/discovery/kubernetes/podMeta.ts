/**
 * The pod half of the endpoints and endpointslice roles: the labels Prometheus's `podLabels` gives every target
 * backed by a pod, and the container ports those roles match against endpoint ports (discovery/kubernetes/pod.go,
 * endpoints.go, endpointslice.go of Prometheus 3.14).
 */
import type { KubeObject, ObjectMeta } from "../../kubernetes/objects.ts"
import { joinHostPort, portString } from "./address.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"
import type { AttachMetadata, Lookup } from "./types.ts"

export interface ContainerPort {
  readonly name?: string
  readonly containerPort?: number
  readonly protocol?: string
}

export interface Container {
  readonly name: string
  readonly image?: string
  readonly ports?: ReadonlyArray<ContainerPort> | null
}

/** The parts of a Pod these roles read. */
export interface PodObject extends KubeObject {
  readonly spec?: {
    readonly nodeName?: string
    readonly containers?: ReadonlyArray<Container> | null
    readonly initContainers?: ReadonlyArray<Container> | null
  }
  readonly status?: {
    readonly phase?: string
    readonly podIP?: string
    readonly hostIP?: string
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string }> | null
  }
}

/** `GetControllerOf`: the first owner reference marked as the controller. */
const controllerOf = (meta: ObjectMeta) => meta.ownerReferences?.find((r) => r.controller === true)

/** `podReady`: the Ready condition's status in lower case, `unknown` without one. */
const podReady = (pod: PodObject): string =>
  (pod.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown").toLowerCase()

/**
 * `podLabels`: what a target backed by a pod carries about it. The 3.11 workload names (#17774) need their
 * `attach_metadata` switch; the deployment and cronjob names also need the owner to be in the job's store.
 */
export const podLabels = (pod: PodObject, lookup: Lookup, attach: AttachMetadata): Record<string, string> => {
  const out: Record<string, string> = {
    [`${metaPrefix}pod_ip`]: pod.status?.podIP ?? "",
    [`${metaPrefix}pod_ready`]: podReady(pod),
    [`${metaPrefix}pod_phase`]: pod.status?.phase ?? "",
    [`${metaPrefix}pod_node_name`]: pod.spec?.nodeName ?? "",
    [`${metaPrefix}pod_host_ip`]: pod.status?.hostIP ?? "",
    [`${metaPrefix}pod_uid`]: pod.metadata.uid ?? ""
  }
  addObjectMetaLabels(out, pod.metadata, "pod")
  const owner = controllerOf(pod.metadata)
  if (owner === undefined) return out
  out[`${metaPrefix}pod_controller_kind`] = owner.kind
  out[`${metaPrefix}pod_controller_name`] = owner.name
  const namespace = pod.metadata.namespace ?? ""
  if (owner.kind === "ReplicaSet" && attach.deployment) {
    const rs = lookup.replicaSet(namespace, owner.name)
    const rsOwner = rs === undefined ? undefined : controllerOf(rs.metadata)
    if (rsOwner?.kind === "Deployment") out[`${metaPrefix}pod_deployment_name`] = rsOwner.name
  }
  if (owner.kind === "Job") {
    if (attach.job) out[`${metaPrefix}pod_job_name`] = owner.name
    if (attach.cronjob) {
      const job = lookup.job(namespace, owner.name)
      const jobOwner = job === undefined ? undefined : controllerOf(job.metadata)
      if (jobOwner?.kind === "CronJob") out[`${metaPrefix}pod_cronjob_name`] = jobOwner.name
    }
  }
  return out
}

export interface PodContainer {
  readonly container: Container
  /** An init container, sidecar or not: since 3.0 (#14929) both roles look at them after the app containers. */
  readonly init: boolean
}

/** The app containers, then the init containers: the order Prometheus walks them in. */
export const podContainers = (pod: PodObject): ReadonlyArray<PodContainer> => [
  ...(pod.spec?.containers ?? []).map((container) => ({ container, init: false })),
  ...(pod.spec?.initContainers ?? []).map((container) => ({ container, init: true }))
]

export interface PortMatch extends PodContainer {
  readonly port: ContainerPort
}

/**
 * The container port an endpoint port number stands for. Prometheus stops at a container's first port of that number
 * but goes on to the next containers, each match overwriting the last: the last container with the port wins.
 * Only the number counts, not the protocol.
 */
export const matchContainerPort = (pod: PodObject, portNumber: number): PortMatch | undefined => {
  let match: PortMatch | undefined
  for (const c of podContainers(pod)) {
    const port = c.container.ports?.find((p) => (p.containerPort ?? 0) === portNumber)
    if (port !== undefined) match = { ...c, port }
  }
  return match
}

/** The `pod_container_*` labels of a matched or extra target; `protocol` is the role's choice (see the callers). */
export const containerLabels = (m: PortMatch, portNumber: number, protocol: string): Record<string, string> => ({
  [`${metaPrefix}pod_container_name`]: m.container.name,
  [`${metaPrefix}pod_container_image`]: m.container.image ?? "",
  [`${metaPrefix}pod_container_port_name`]: m.port.name ?? "",
  [`${metaPrefix}pod_container_port_number`]: String(portNumber),
  [`${metaPrefix}pod_container_port_protocol`]: protocol,
  [`${metaPrefix}pod_container_init`]: String(m.init)
})

/**
 * The targets both roles add, at the pod's IP, for every container port (app or init) whose number none of the
 * pod's endpoint ports has; none for a pod without an IP (2.46, #11642). The protocol is the container port's own.
 */
export const uncoveredPortTargets = (
  pod: PodObject,
  covered: ReadonlySet<number>,
  labels: Readonly<Record<string, string>>
): Array<Record<string, string>> => {
  const ip = pod.status?.podIP ?? ""
  if (ip === "") return []
  const out: Array<Record<string, string>> = []
  for (const c of podContainers(pod)) {
    for (const port of c.container.ports ?? []) {
      const n = port.containerPort ?? 0
      if (covered.has(n)) continue
      out.push({ __address__: joinHostPort(ip, portString(n)), ...containerLabels({ ...c, port }, n, port.protocol ?? ""), ...labels })
    }
  }
  return out
}
