/**
 * Role `node`: one target per node, its kubelet (Prometheus 3.14, discovery/kubernetes/node.go `buildNode`,
 * `nodeLabels`, `nodeAddress`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import * as L from "../../labels/labels.ts"
import type { TargetGroup } from "../targetGroup.ts"
import { joinHostPort, portString } from "./address.ts"
import { addObjectMetaLabels, metaPrefix, sanitizeLabelName } from "./metadata.ts"
import type { RoleFunction } from "./types.ts"

interface NodeObject extends KubeObject {
  readonly spec?: { readonly providerID?: string }
  readonly status?: {
    readonly addresses?: ReadonlyArray<{ readonly type: string; readonly address: string }>
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string }>
    // The API spells this field with a capital P.
    readonly daemonEndpoints?: { readonly kubeletEndpoint?: { readonly Port?: number } }
  }
}

const pre = `${metaPrefix}node_`

/**
 * The address types in the order Prometheus prefers them (from Kubernetes' `pkg/util/node`): the first address of
 * the first type the node reports. `LegacyHostIP` is long gone from the API but still honoured.
 */
const addressPreference = ["InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname"] as const

/** The first address of each type, in the node's order, and the one to scrape; `undefined` when none is known. */
const nodeAddress = (node: NodeObject): { readonly address: string | undefined; readonly firstOfType: ReadonlyMap<string, string> } => {
  const firstOfType = new Map<string, string>()
  for (const a of node.status?.addresses ?? []) if (!firstOfType.has(a.type)) firstOfType.set(a.type, a.address)
  const type = addressPreference.find((t) => firstOfType.has(t))
  return { address: type === undefined ? undefined : firstOfType.get(type), firstOfType }
}

const groupLabels = (node: NodeObject): Record<string, string> => {
  const out: Record<string, string> = { [`${pre}provider_id`]: node.spec?.providerID ?? "" }
  // 3.12 (#17601): every condition as `…_node_condition_<type>`, type and status in lower case.
  for (const c of node.status?.conditions ?? []) out[`${pre}condition_${sanitizeLabelName(c.type.toLowerCase())}`] = c.status.toLowerCase()
  addObjectMetaLabels(out, node.metadata, "node")
  return out
}

export const group: RoleFunction = (object): TargetGroup => {
  const node = object as NodeObject
  const source = `node/${node.metadata.name}`
  const { address, firstOfType } = nodeAddress(node)
  // Prometheus logs "No node address found" and sends no group at all; an empty group is the closest a role
  // function can say it (no targets for this node).
  if (address === undefined) return { source, labels: L.empty, targets: [] }
  const target: Record<string, string> = {
    // A node without a reported kubelet endpoint gets Go's zero port, `:0`.
    __address__: joinHostPort(address, portString(node.status?.daemonEndpoints?.kubeletEndpoint?.Port)),
    // The node role names the instance after the node, not its address.
    instance: node.metadata.name
  }
  for (const [type, a] of firstOfType) target[sanitizeLabelName(`${pre}address_${type}`)] = a
  return { source, labels: L.fromRecord(groupLabels(node)), targets: [L.fromRecord(target)] }
}
