/**
 * The Prometheus part of the configuration (`config:` in the allocator's file, or a whole `prometheus.yml`),
 * and its resolution: `global` defaults pushed into every job and Prometheus's cross-field checks.
 */
import { Schema } from "effect"
import { issue, type ConfigIssue, type Path } from "../issues.ts"
import { withDefault } from "../scalars.ts"
import { defaultScrapeInterval, defaultScrapeTimeout, GlobalConfigInput, type GlobalConfig } from "./globalConfig.ts"
import { ScrapeConfigInput, type ScrapeConfig } from "./scrapeConfig.ts"

export const PrometheusConfigInput = Schema.Struct({
  global: withDefault(GlobalConfigInput, { evaluation_interval: 60_000, external_labels: {} }),
  scrape_configs: withDefault(Schema.Array(ScrapeConfigInput), [])
}).annotate({ expected: "a Prometheus configuration (a mapping)" })

export type PrometheusConfigInput = typeof PrometheusConfigInput.Type

export interface PrometheusConfig {
  readonly global: GlobalConfig
  readonly scrape_configs: ReadonlyArray<ScrapeConfig>
}

/** Prometheus config sections that play no part in target allocation; accepted and left alone, as upstream. */
export const sectionsIgnored: ReadonlySet<string> = new Set([
  "runtime", "alerting", "rule_files", "storage", "tracing", "remote_write", "remote_read", "otlp"
])

/** Sections that would change which jobs exist, but are not implemented yet: refused. */
export const sectionsNotYetSupported: ReadonlySet<string> = new Set(["scrape_config_files"])

const resolveGlobal = (g: GlobalConfigInput, path: Path): GlobalConfig | ConfigIssue => {
  // Zero means "not set" in Prometheus, for both intervals.
  const interval = g.scrape_interval || defaultScrapeInterval
  if ((g.scrape_timeout ?? 0) > interval) {
    return issue([...path, "scrape_timeout"], "global scrape timeout greater than scrape interval")
  }
  const timeout = g.scrape_timeout || Math.min(defaultScrapeTimeout, interval)
  return {
    scrape_interval: interval,
    scrape_timeout: timeout,
    evaluation_interval: g.evaluation_interval || 60_000,
    external_labels: g.external_labels
  }
}

const resolveJob = (sc: ScrapeConfigInput, global: GlobalConfig, path: Path): ScrapeConfig | ConfigIssue => {
  const interval = sc.scrape_interval || global.scrape_interval
  if ((sc.scrape_timeout ?? 0) > interval) {
    return issue(
      [...path, "scrape_timeout"],
      `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(sc.job_name)}`
    )
  }
  const timeout = sc.scrape_timeout || Math.min(global.scrape_timeout, interval)
  if (sc.relabel_configs.length === 0) {
    // Prometheus's guard against URLs pasted as targets; relabeling could still fix them up, so only without it.
    for (const [i, st] of sc.static_configs.entries()) {
      for (const [j, t] of st.targets.entries()) {
        if (t.includes("/")) {
          return issue([...path, "static_configs", i, "targets", j], `${JSON.stringify(t)} is not a valid hostname`)
        }
      }
    }
  }
  return { ...sc, scrape_interval: interval, scrape_timeout: timeout }
}

const isIssue = (v: object): v is ConfigIssue => "message" in v && "path" in v

export const resolvePrometheusConfig = (
  input: PrometheusConfigInput,
  path: Path
): { readonly config: PrometheusConfig; readonly issues: ReadonlyArray<ConfigIssue> } => {
  const issues: Array<ConfigIssue> = []
  const g = resolveGlobal(input.global, [...path, "global"])
  const global = isIssue(g)
    ? (issues.push(g), { scrape_interval: defaultScrapeInterval, scrape_timeout: defaultScrapeTimeout, evaluation_interval: 60_000, external_labels: {} })
    : g
  const seen = new Map<string, number>()
  const scrape_configs: Array<ScrapeConfig> = []
  for (const [i, sc] of input.scrape_configs.entries()) {
    const jobPath = [...path, "scrape_configs", i]
    const first = seen.get(sc.job_name)
    if (first !== undefined) {
      issues.push({ ...issue([...jobPath, "job_name"], `found multiple scrape configs with job name ${JSON.stringify(sc.job_name)} (first at index ${first})`), job: sc.job_name })
      continue
    }
    seen.set(sc.job_name, i)
    const r = resolveJob(sc, global, jobPath)
    if (isIssue(r)) issues.push({ ...r, job: sc.job_name })
    else scrape_configs.push(r)
  }
  return { config: { global, scrape_configs }, issues }
}
