import { Result } from "effect"
import { formatIssue } from "../../src/config/issues.ts"
import { decodePrometheusFile, decodeTargetAllocatorFile, type Overrides, resolveTargetAllocatorConfig } from "../../src/config/load.ts"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import type { TargetAllocatorConfig } from "../../src/config/targetAllocator.ts"

/** Decodes and resolves a config text; throws with every message when it is refused. */
export const loadConfig = (text: string, env: Overrides = {}, flags: Overrides = {}): TargetAllocatorConfig => {
  const r = Result.flatMap(
    decodeTargetAllocatorFile(text, "test.yaml"),
    (d) => resolveTargetAllocatorConfig(d.value, env, flags, "test.yaml")
  )
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

/** The messages a config text is refused with (empty when it is accepted). */
export const configErrors = (text: string, env: Overrides = {}, flags: Overrides = {}): ReadonlyArray<string> => {
  const r = Result.flatMap(
    decodeTargetAllocatorFile(text, "test.yaml"),
    (d) => resolveTargetAllocatorConfig(d.value, env, flags, "test.yaml")
  )
  return Result.isFailure(r) ? r.failure.issues.map(formatIssue) : []
}

export const configWarnings = (text: string): ReadonlyArray<string> => {
  const r = decodeTargetAllocatorFile(text, "test.yaml")
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success.warnings.map(formatIssue)
}

/** The scrape configs of a Prometheus config text; throws with every message when it is refused. */
export const prometheusJobs = (text: string, source = "test.yaml"): ReadonlyArray<ScrapeConfig> => {
  const r = decodePrometheusFile(text, source)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success.value.scrape_configs
}

