/**
 * Role `ingress`: one target per rule and path, addressed by the rule's host (Prometheus 3.14,
 * discovery/kubernetes/ingress.go `buildIngress`, `ingressLabels`, `matchesHostnamePattern`).
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import * as L from "../../labels/labels.ts"
import type { TargetGroup } from "../targetGroup.ts"
import { addNamespaceMetadata } from "./attach.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"
import type { RoleFunction } from "./types.ts"

interface IngressRule {
  readonly host?: string
  readonly http?: { readonly paths?: ReadonlyArray<{ readonly path?: string | null }> | null } | null
}

interface IngressObject extends KubeObject {
  readonly spec?: {
    readonly ingressClassName?: string | null
    readonly tls?: ReadonlyArray<{ readonly hosts?: ReadonlyArray<string> }>
    readonly rules?: ReadonlyArray<IngressRule>
  }
}

const pre = `${metaPrefix}ingress_`

/**
 * A TLS host pattern covers a rule's host when equal, or when it is `*.<rest>` and the host has exactly as many
 * labels with the same `<rest>`: a wildcard stands for one DNS label, never several, never none.
 */
export const matchesHostnamePattern = (pattern: string, host: string): boolean => {
  if (pattern === host) return true
  const patternParts = pattern.split(".")
  const hostParts = host.split(".")
  if (patternParts[0] !== "*" || patternParts.length !== hostParts.length) return false
  return patternParts.every((p, i) => i === 0 || p === hostParts[i])
}

/**
 * A rule's paths: `/` for a rule without `http` and for a path left empty. A rule whose `http` lists no paths has
 * none (Go's `rulePaths` then returns an empty, not a nil, slice).
 */
const rulePaths = (rule: IngressRule): ReadonlyArray<string> =>
  rule.http == null ? ["/"] : (rule.http.paths ?? []).map((p) => (p.path == null || p.path === "" ? "/" : p.path))

export const group: RoleFunction = (object, lookup, attach): TargetGroup => {
  const ingress = object as IngressObject
  const namespace = ingress.metadata.namespace ?? ""
  const labels: Record<string, string> = { [`${metaPrefix}namespace`]: namespace }
  if (ingress.spec?.ingressClassName != null) labels[`${pre}class_name`] = ingress.spec.ingressClassName
  addObjectMetaLabels(labels, ingress.metadata, "ingress")
  if (attach.namespace) addNamespaceMetadata(labels, lookup, ingress)
  const tlsHosts = (ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? [])
  const targets: Array<L.Labels> = []
  for (const rule of ingress.spec?.rules ?? []) {
    const host = rule.host ?? ""
    const scheme = tlsHosts.some((pattern) => matchesHostnamePattern(pattern, host)) ? "https" : "http"
    // A rule without host still gives its targets: with no `__address__`, Prometheus reports them as "no address".
    for (const path of rulePaths(rule)) {
      targets.push(L.fromRecord({ __address__: host, [`${pre}scheme`]: scheme, [`${pre}host`]: host, [`${pre}path`]: path }))
    }
  }
  // An ingress with only a default backend has no rules and so no targets.
  return { source: `ingress/${namespace}/${ingress.metadata.name}`, labels: L.fromRecord(labels), targets }
}
