/**
 * Role `endpointslice`: one target per endpoint, port and address of a `discovery.k8s.io/v1` EndpointSlice, joined
 * with the Service its `kubernetes.io/service-name` label names, the pod a `targetRef` names and optionally the node
 * and namespace; then one target per container port of those pods that no slice port covers (Prometheus 3.14
 * `EndpointSlice.buildEndpointSlice`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import * as L from "../../labels/labels.ts"
import { joinHostPort, portString } from "./address.ts"
import { addNamespaceMetadata, addNodeMetadata } from "./attach.ts"
import { addServiceLabels, namespaceLabel, podsBehind, present, type TargetRef } from "./endpointsMeta.ts"
import { addObjectMetaLabels, metaPrefix, presentValue, sanitizeLabelName } from "./metadata.ts"
import { containerLabels, matchContainerPort } from "./podMeta.ts"
import type { RoleFunction } from "./types.ts"

// Every optional field of the v1 API is a Go pointer: `null` or absent gives no label, `""` an empty one.
interface Endpoint {
  readonly addresses?: ReadonlyArray<string> | null
  readonly conditions?: { readonly ready?: boolean | null; readonly serving?: boolean | null; readonly terminating?: boolean | null }
  readonly hostname?: string | null
  readonly targetRef?: TargetRef | null
  readonly nodeName?: string | null
  readonly zone?: string | null
  readonly deprecatedTopology?: Readonly<Record<string, string>> | null
}

interface EndpointPort {
  readonly name?: string | null
  readonly protocol?: string | null
  readonly port?: number | null
  readonly appProtocol?: string | null
}

interface EndpointSlice extends KubeObject {
  readonly addressType?: string
  readonly endpoints?: ReadonlyArray<Endpoint> | null
  readonly ports?: ReadonlyArray<EndpointPort> | null
}

interface Service extends KubeObject {
  readonly spec?: { readonly ipFamilyPolicy?: string | null; readonly ipFamilies?: ReadonlyArray<string> | null }
}

const p = `${metaPrefix}endpointslice_`

/**
 * `nonPrimaryIPFamilySlice` (3.11, #18192): a dual-stack Service has one slice per family, each listing the same
 * pods; only the slice of the Service's first family gives targets, so that a pod is not scraped twice.
 */
const nonPrimaryFamily = (service: Service | undefined, slice: EndpointSlice): boolean => {
  const policy = service?.spec?.ipFamilyPolicy
  const families = service?.spec?.ipFamilies ?? []
  if (policy !== "PreferDualStack" && policy !== "RequireDualStack") return false
  return families.length > 0 && (slice.addressType ?? "") !== families[0]
}

const bool = (b: boolean | null | undefined, name: string, out: Record<string, string>) => {
  if (present(b)) out[name] = String(b)
}

export const group: RoleFunction = (object, lookup, attach) => {
  const slice = object as EndpointSlice
  const namespace = slice.metadata.namespace ?? ""
  const source = `endpointslice/${namespace}/${slice.metadata.name}`
  const groupLabels: Record<string, string> = { [namespaceLabel]: namespace, [`${p}address_type`]: slice.addressType ?? "" }
  addObjectMetaLabels(groupLabels, slice.metadata, "endpointslice")
  // The label only has to exist: an empty service name is looked up (and not found) all the same.
  const serviceName = slice.metadata.labels?.["kubernetes.io/service-name"]
  const service = serviceName === undefined ? undefined : lookup.service(namespace, serviceName) as Service | undefined
  if (service !== undefined) addServiceLabels(groupLabels, service)
  if (attach.namespace) addNamespaceMetadata(groupLabels, lookup, slice)
  const labels = L.fromRecord(groupLabels)
  if (nonPrimaryFamily(service, slice)) return { source, labels, targets: [] }

  const targets: Array<Record<string, string>> = []
  const pods = podsBehind(lookup, attach)

  const add = (address: string, ep: Endpoint, port: EndpointPort) => {
    const number = present(port.port) ? port.port : undefined
    // A port without a number (allowed by the API: "all ports") leaves the address bare.
    const target: Record<string, string> = { __address__: number === undefined ? address : joinHostPort(address, portString(number)) }
    if (present(port.name)) target[`${p}port_name`] = port.name
    if (present(port.protocol)) target[`${p}port_protocol`] = port.protocol
    if (number !== undefined) target[`${p}port`] = String(number)
    if (present(port.appProtocol)) target[`${p}port_app_protocol`] = port.appProtocol
    bool(ep.conditions?.ready, `${p}endpoint_conditions_ready`, target)
    bool(ep.conditions?.serving, `${p}endpoint_conditions_serving`, target)
    bool(ep.conditions?.terminating, `${p}endpoint_conditions_terminating`, target)
    if (present(ep.hostname)) target[`${p}endpoint_hostname`] = ep.hostname
    const ref = ep.targetRef
    if (present(ref)) {
      target[`${p}address_target_kind`] = ref.kind ?? ""
      target[`${p}address_target_name`] = ref.name ?? ""
    }
    // node_name and zone since 2.52 (#13935); the topology map is the v1 `deprecatedTopology`.
    if (present(ep.nodeName)) target[`${p}endpoint_node_name`] = ep.nodeName
    if (present(ep.zone)) target[`${p}endpoint_zone`] = ep.zone
    for (const [k, v] of Object.entries(ep.deprecatedTopology ?? {})) {
      const ln = sanitizeLabelName(k)
      target[`${p}endpoint_topology_${ln}`] = v
      target[`${p}endpoint_topology_present_${ln}`] = presentValue
    }
    if (attach.node) {
      // A Node targetRef takes precedence over nodeName (2.45, #12338); a missing node only leaves the labels out.
      if (ref?.kind === "Node") addNodeMetadata(target, lookup, ref.name ?? "")
      else if (present(ep.nodeName)) addNodeMetadata(target, lookup, ep.nodeName)
    }
    const pod = pods.join(target, ref, number)
    // Unlike the endpoints role, a matched container port keeps its own protocol.
    const match = pod === undefined || number === undefined ? undefined : matchContainerPort(pod, number)
    if (match !== undefined && number !== undefined) Object.assign(target, containerLabels(match, number, match.port.protocol ?? ""))
    targets.push(target)
  }

  for (const ep of slice.endpoints ?? []) {
    for (const port of slice.ports ?? []) {
      for (const address of ep.addresses ?? []) add(address, ep, port)
    }
  }
  targets.push(...pods.uncovered())

  return { source, labels, targets: targets.map(L.fromRecord) }
}
