/**
 * What this version can run. A configuration asking for a feature that is not built yet is refused as a whole,
 * with the feature named, rather than started without it.
 */
import { issue, type ConfigIssue } from "./issues.ts"
import { mechanismsIn, sdKey } from "./prometheus/serviceDiscovery.ts"
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
    for (const [mechanism] of mechanismsIn(sc)) {
      out.push({
        ...issue(["config", "scrape_configs", i, sdKey(mechanism)], `service discovery mechanism ${sdKey(mechanism)} is not supported yet`),
        job: sc.job_name
      })
    }
  }
  return out
}
