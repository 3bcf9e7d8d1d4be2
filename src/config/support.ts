/**
 * What this version can run. A configuration asking for a feature that is not built yet is refused as a whole,
 * with the feature named, rather than started without it.
 */
import { issue, type ConfigIssue } from "./issues.ts"
import type { HttpClientConfig } from "./prometheus/httpClientConfig.ts"
import { mechanismsIn, sdKey, type SdMechanism } from "./prometheus/serviceDiscovery.ts"

/** The service-discovery mechanisms this version runs; every other one is refused by name. */
export const supportedMechanisms: ReadonlySet<SdMechanism> = new Set(["kubernetes", "file", "http", "dns"])
import type { TargetAllocatorConfig } from "./targetAllocator.ts"

export const unsupportedFeatures = (c: TargetAllocatorConfig): ReadonlyArray<ConfigIssue> => {
  const out: Array<ConfigIssue> = []
  if (c.prometheus_cr.enabled) {
    out.push(issue(["prometheus_cr", "enabled"], "watching Prometheus Operator resources (--enable-prometheus-cr-watcher) is not supported yet"))
  }
  if (c.allocation_strategy === "per-node" && c.allocation_fallback_strategy === "per-node") {
    out.push(issue(["allocation_fallback_strategy"], "per-node cannot be its own fallback: use consistent-hashing, least-weighted or \"\""))
  }
  for (const [i, sc] of c.config.scrape_configs.entries()) {
    const at = (...path: ReadonlyArray<string | number>) => (message: string) =>
      out.push({ ...issue(["config", "scrape_configs", i, ...path], message), job: sc.job_name })
    for (const [mechanism] of mechanismsIn(sc)) {
      if (!supportedMechanisms.has(mechanism)) at(sdKey(mechanism))(`service discovery mechanism ${sdKey(mechanism)} is not supported yet`)
    }
    for (const [j, h] of (sc.http_sd_configs ?? []).entries()) {
      for (const [field, message] of unsupportedClientFields(h, httpSdUnsupported)) at("http_sd_configs", j, ...field)(message)
    }
    for (const [j, k] of (sc.kubernetes_sd_configs ?? []).entries()) {
      for (const [field, message] of unsupportedClientFields(k, kubernetesSdUnsupported)) at("kubernetes_sd_configs", j, ...field)(message)
    }
  }
  return out
}

type ClientCheck = readonly [path: ReadonlyArray<string>, isSet: (c: HttpClientConfig) => boolean, what: string]

const set = (v: unknown) => v !== undefined && v !== "" && v !== false
const refs: ReadonlyArray<ClientCheck> = [
  [["basic_auth", "username_ref"], (c) => set(c.basic_auth?.username_ref), "secret references (*_ref)"],
  [["basic_auth", "password_ref"], (c) => set(c.basic_auth?.password_ref), "secret references (*_ref)"],
  [["authorization", "credentials_ref"], (c) => set(c.authorization?.credentials_ref), "secret references (*_ref)"],
  [["tls_config", "ca_ref"], (c) => set(c.tls_config?.ca_ref), "secret references (*_ref)"],
  [["tls_config", "cert_ref"], (c) => set(c.tls_config?.cert_ref), "secret references (*_ref)"],
  [["tls_config", "key_ref"], (c) => set(c.tls_config?.key_ref), "secret references (*_ref)"],
  [["oauth2"], (c) => c.oauth2 !== undefined, "oauth2"],
  [["no_proxy"], (c) => set(c.no_proxy), "no_proxy"],
  [["proxy_from_environment"], (c) => c.proxy_from_environment, "proxy_from_environment"],
  [["proxy_connect_header"], (c) => c.proxy_connect_header !== undefined, "proxy_connect_header"]
]

const httpSdUnsupported: ReadonlyArray<ClientCheck> = refs

/** The Kubernetes client carries a bearer token, basic auth, client certificates, a CA and a proxy; nothing else. */
const kubernetesSdUnsupported: ReadonlyArray<ClientCheck> = [
  ...refs,
  [["authorization", "type"], (c) => c.authorization !== undefined && c.authorization.type !== undefined && c.authorization.type !== "Bearer", "an authorization type other than Bearer"],
  [["tls_config", "min_version"], (c) => set(c.tls_config?.min_version), "tls_config.min_version"],
  [["tls_config", "max_version"], (c) => set(c.tls_config?.max_version), "tls_config.max_version"],
  [["http_headers"], (c) => c.http_headers !== undefined, "http_headers"]
]

const unsupportedClientFields = (c: HttpClientConfig, checks: ReadonlyArray<ClientCheck>) =>
  checks.filter(([, isSet]) => isSet(c)).map(([path, , what]) => [path, `${what}: not supported yet for this discovery mechanism`] as const)

