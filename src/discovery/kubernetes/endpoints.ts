/**
 * Role `endpoints`: one target per address and port of every subset, joined with the Service of the same name, the
 * pod a `targetRef` names and optionally its node and namespace; then one target per container port of those pods
 * that no endpoint port covers (Prometheus 3.14 `Endpoints.buildEndpoints`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import * as L from "../../labels/labels.ts"
import { joinHostPort, portString } from "./address.ts"
import { addNamespaceMetadata, addNodeMetadata } from "./attach.ts"
import { addServiceLabels, namespaceLabel, podsBehind, present, type TargetRef } from "./endpointsMeta.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"
import { containerLabels, matchContainerPort } from "./podMeta.ts"
import type { RoleFunction } from "./types.ts"

interface EndpointAddress {
  readonly ip: string
  readonly hostname?: string
  readonly nodeName?: string | null
  readonly targetRef?: TargetRef | null
}

interface EndpointPort {
  readonly name?: string
  readonly port?: number
  readonly protocol?: string
}

interface Endpoints extends KubeObject {
  readonly subsets?: ReadonlyArray<{
    readonly addresses?: ReadonlyArray<EndpointAddress> | null
    readonly notReadyAddresses?: ReadonlyArray<EndpointAddress> | null
    readonly ports?: ReadonlyArray<EndpointPort> | null
  }> | null
}

const p = `${metaPrefix}endpoint_`

export const group: RoleFunction = (object, lookup, attach) => {
  const eps = object as Endpoints
  const namespace = eps.metadata.namespace ?? ""
  const groupLabels: Record<string, string> = { [namespaceLabel]: namespace }
  // The Service is the one of the same name, if the job's service store has it.
  const service = lookup.service(namespace, eps.metadata.name)
  if (service !== undefined) addServiceLabels(groupLabels, service)
  addObjectMetaLabels(groupLabels, eps.metadata, "endpoints")
  if (attach.namespace) addNamespaceMetadata(groupLabels, lookup, eps)

  const targets: Array<Record<string, string>> = []
  const pods = podsBehind(lookup, attach)

  const add = (addr: EndpointAddress, port: EndpointPort, ready: string) => {
    const number = port.port ?? 0
    const target: Record<string, string> = {
      __address__: joinHostPort(addr.ip, portString(number)),
      [`${p}port_name`]: port.name ?? "",
      [`${p}port_protocol`]: port.protocol ?? "",
      [`${p}ready`]: ready
    }
    const ref = addr.targetRef
    if (present(ref)) {
      target[`${p}address_target_kind`] = ref.kind ?? ""
      target[`${p}address_target_name`] = ref.name ?? ""
    }
    if (present(addr.nodeName)) target[`${p}node_name`] = addr.nodeName
    if (addr.hostname !== undefined) target[`${p}hostname`] = addr.hostname
    if (attach.node) {
      // The address's nodeName, else (since 2.45, #12338) a Node targetRef, as for the kubelet's Endpoints. A node
      // missing from the store only leaves the labels out: unlike the pod role, the target stays.
      if (present(addr.nodeName)) addNodeMetadata(target, lookup, addr.nodeName)
      else if (ref?.kind === "Node") addNodeMetadata(target, lookup, ref.name ?? "")
    }
    const pod = pods.join(target, ref, number)
    // The endpoints role labels a matched container port with the endpoint port's protocol, not the container's.
    const match = pod === undefined ? undefined : matchContainerPort(pod, number)
    if (match !== undefined) Object.assign(target, containerLabels(match, number, port.protocol ?? ""))
    targets.push(target)
  }

  for (const subset of eps.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const addr of subset.addresses ?? []) add(addr, port, "true")
      for (const addr of subset.notReadyAddresses ?? []) add(addr, port, "false")
    }
  }
  targets.push(...pods.uncovered())

  return { source: `endpoints/${namespace}/${eps.metadata.name}`, labels: L.fromRecord(groupLabels), targets: targets.map(L.fromRecord) }
}
