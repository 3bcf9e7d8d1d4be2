/**
 * Role `pod`: one target per container port of a pod with an IP, and one bare-IP target per container without
 * ports (Prometheus 3.14, discovery/kubernetes/pod.go `buildPod`, `podLabels`).
 */
import * as L from "../../labels/labels.ts"
import type { TargetGroup } from "../targetGroup.ts"
import { joinHostPort, portString } from "./address.ts"
import { addNamespaceMetadata, addNodeMetadata } from "./attach.ts"
import { metaPrefix } from "./metadata.ts"
import { type ContainerPort, podContainers, podLabels, type PodObject as PodBase } from "./podMeta.ts"
import type { AttachMetadata, Lookup, RoleFunction } from "./types.ts"

interface ContainerStatus {
  readonly name: string
  readonly containerID?: string
}

interface PodObject extends PodBase {
  readonly status?: PodBase["status"] & {
    readonly containerStatuses?: ReadonlyArray<ContainerStatus>
    readonly initContainerStatuses?: ReadonlyArray<ContainerStatus>
  }
}

const pre = `${metaPrefix}pod_`

/** The labels every target of the pod shares (the pod's own, then what `attach_metadata` asks for). */
const groupLabels = (pod: PodObject, lookup: Lookup, attach: AttachMetadata): Record<string, string> => {
  const out = podLabels(pod, lookup, attach)
  out[`${metaPrefix}namespace`] = pod.metadata.namespace ?? ""
  if (attach.node) addNodeMetadata(out, lookup, pod.spec?.nodeName ?? "")
  if (attach.namespace) addNamespaceMetadata(out, lookup, pod)
  return out
}

/**
 * Targets of the regular containers, then of the init containers (sidecars included: any init container with ports
 * gives targets, whatever its restart policy). Ephemeral containers are not part of the pod's spec containers and
 * give none.
 */
const targetsOf = (pod: PodObject, ip: string): Array<L.Labels> => {
  const targets: Array<L.Labels> = []
  for (const { container: c, init: isInit } of podContainers(pod)) {
    const statuses = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? []
    // Empty until the runtime has created the container (a pending pod).
    const id = statuses.find((s) => s.name === c.name)?.containerID ?? ""
    const image = c.image ?? ""
    const init = String(isInit)
    // A container without ports still gets a target, the bare pod IP, for relabeling to add a port to.
    const ports = c.ports ?? []
    if (ports.length === 0) {
      targets.push(containerTarget(ip, id, image, init, c.name, undefined))
      continue
    }
    for (const p of ports) targets.push(containerTarget(joinHostPort(ip, portString(p.containerPort)), id, image, init, c.name, p))
  }
  return targets
}

// Made once: a name built where it is used is a new string for every target, each a concatenation (a pair of
// references to its parts, which its first comparison copies out into a second string).
const containerId = `${pre}container_id`
const containerImage = `${pre}container_image`
const containerInit = `${pre}container_init`
const containerName = `${pre}container_name`
const containerPortName = `${pre}container_port_name`
const containerPortNumber = `${pre}container_port_number`
const containerPortProtocol = `${pre}container_port_protocol`

/**
 * One target's own labels, written straight in sorted order (the names are fixed, and this runs for every port of
 * every pod); empty values are left out, as `fromRecord` would.
 */
const containerTarget = (address: string, id: string, image: string, init: string, name: string, port: ContainerPort | undefined): L.Labels => {
  const flat: Array<string> = ["__address__", address]
  const add = (n: string, v: string) => {
    if (v !== "") flat.push(n, v)
  }
  add(containerId, id)
  add(containerImage, image)
  add(containerInit, init)
  add(containerName, name)
  if (port !== undefined) {
    add(containerPortName, port.name ?? "")
    add(containerPortNumber, portString(port.containerPort))
    add(containerPortProtocol, port.protocol ?? "")
  }
  return L.unsafeFromSorted(flat)
}

export const group: RoleFunction = (object, lookup, attach): TargetGroup => {
  const pod = object as PodObject
  const source = `pod/${pod.metadata.namespace ?? ""}/${pod.metadata.name}`
  const empty: TargetGroup = { source, labels: L.empty, targets: [] }
  // No IP yet (pending) or any more (evicted): nothing to scrape.
  const ip = pod.status?.podIP ?? ""
  if (ip === "") return empty
  // 3.11 (#18006): with node metadata, a pod whose node the job does not see (filtered out by the node selector,
  // or not registered) is dropped, so that node selectors filter pods too.
  if (attach.node && lookup.node(pod.spec?.nodeName ?? "") === undefined) return empty
  return { source, labels: L.fromRecord(groupLabels(pod, lookup, attach)), targets: targetsOf(pod, ip) }
}
