/**
 * What this version can run. A configuration asking for a feature that is not built yet is refused as a whole,
 * with the feature named, rather than started without it.
 */
import { issue, type ConfigIssue } from "./issues.ts"
import { mechanismsIn, sdKey, type SdMechanism } from "./prometheus/serviceDiscovery.ts"

/** The service-discovery mechanisms this version runs; every other one is refused by name. */
export const supportedMechanisms: ReadonlySet<SdMechanism> = new Set(["kubernetes", "file", "http", "dns"])
import type { TargetAllocatorConfig } from "./targetAllocator.ts"

export const unsupportedFeatures = (c: TargetAllocatorConfig): ReadonlyArray<ConfigIssue> => {
  const out: Array<ConfigIssue> = []
  if (c.prometheus_cr.enabled) {
    out.push(issue(["prometheus_cr", "enabled"], "watching Prometheus Operator resources (--enable-prometheus-cr-watcher) is not supported yet"))
  }
  if (c.allocation_strategy !== "consistent-hashing") {
    out.push(issue(["allocation_strategy"], `allocation strategy ${JSON.stringify(c.allocation_strategy)} is not supported yet; use consistent-hashing`))
  }
  for (const [i, sc] of c.config.scrape_configs.entries()) {
    const at = (...path: ReadonlyArray<string | number>) => (message: string) =>
      out.push({ ...issue(["config", "scrape_configs", i, ...path], message), job: sc.job_name })
    for (const [mechanism] of mechanismsIn(sc)) {
      if (!supportedMechanisms.has(mechanism)) at(sdKey(mechanism))(`service discovery mechanism ${sdKey(mechanism)} is not supported yet`)
    }
    for (const [j, h] of (sc.http_sd_configs ?? []).entries()) {
      if (h.oauth2 !== undefined) at("http_sd_configs", j, "oauth2")("oauth2 for service discovery requests is not supported yet")
    }
    for (const [j, k] of (sc.kubernetes_sd_configs ?? []).entries()) {
      if (k.oauth2 !== undefined) at("kubernetes_sd_configs", j, "oauth2")("oauth2 for the Kubernetes API is not supported yet")
    }
  }
  return out
}
