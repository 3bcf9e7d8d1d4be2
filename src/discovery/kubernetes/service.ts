/**
 * Role `service`: one target per service port, addressed by the service's cluster DNS name (Prometheus 3.14,
 * discovery/kubernetes/service.go `buildService`, `serviceLabels`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import * as L from "../../labels/labels.ts"
import type { TargetGroup } from "../targetGroup.ts"
import { joinHostPort, portString } from "./address.ts"
import { addNamespaceMetadata } from "./attach.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"
import type { RoleFunction } from "./types.ts"

interface ServiceObject extends KubeObject {
  readonly spec?: {
    readonly type?: string
    readonly clusterIP?: string
    readonly externalName?: string
    readonly loadBalancerIP?: string
    readonly ports?: ReadonlyArray<{ readonly name?: string; readonly port?: number; readonly protocol?: string }>
  }
}

const pre = `${metaPrefix}service_`

export const group: RoleFunction = (object, lookup, attach): TargetGroup => {
  const svc = object as ServiceObject
  const namespace = svc.metadata.namespace ?? ""
  const labels: Record<string, string> = { [`${metaPrefix}namespace`]: namespace }
  addObjectMetaLabels(labels, svc.metadata, "service")
  if (attach.namespace) addNamespaceMetadata(labels, lookup, svc)
  const type = svc.spec?.type ?? ""
  // A service without ports (ExternalName without ports, or a selector-less placeholder) has no target.
  const targets = (svc.spec?.ports ?? []).map((p) => {
    const port = portString(p.port)
    const target: Record<string, string> = {
      // Always the `.svc` name, never the cluster IP: it works for headless and ExternalName services too.
      __address__: joinHostPort(`${svc.metadata.name}.${namespace}.svc`, port),
      [`${pre}port_name`]: p.name ?? "",
      [`${pre}port_number`]: port,
      [`${pre}port_protocol`]: p.protocol ?? "",
      [`${pre}type`]: type
    }
    // An ExternalName service has no cluster IP; it reports the name it aliases instead.
    if (type === "ExternalName") target[`${pre}external_name`] = svc.spec?.externalName ?? ""
    else target[`${pre}cluster_ip`] = svc.spec?.clusterIP ?? ""
    // 3.14 still reads the deprecated `spec.loadBalancerIP`, not the status's ingress IPs (that is #19404, after 3.14).
    if (type === "LoadBalancer") target[`${pre}loadbalancer_ip`] = svc.spec?.loadBalancerIP ?? ""
    return L.fromRecord(target)
  })
  return { source: `svc/${namespace}/${svc.metadata.name}`, labels: L.fromRecord(labels), targets }
}
