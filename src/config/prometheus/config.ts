/**
 * The Prometheus part of the configuration (`config:` in the allocator's file, or a whole `prometheus.yml`), and
 * its resolution: `global` pushed into every job and Prometheus's checks, with Prometheus's messages.
 */
import { Schema } from "effect"
import type { ConfigIssue, Path } from "../issues.ts"
import { issue } from "../issues.ts"
import { field, Text } from "../scalars.ts"
import { emptyGlobal, GlobalConfigInput, resolveGlobal, type GlobalConfig } from "./globalConfig.ts"
import { resolveScrapeConfig, ScrapeConfigInput, type ScrapeConfig } from "./scrapeConfig.ts"

export const PrometheusConfigInput = Schema.Struct({
  global: field(GlobalConfigInput, emptyGlobal, emptyGlobal),
  scrape_config_files: field(Schema.Array(Text), [], []),
  scrape_configs: field(Schema.Array(ScrapeConfigInput), [], []),
  // Accepted and left alone, as upstream: they play no part in target allocation.
  runtime: field(Schema.Unknown, undefined, undefined),
  alerting: field(Schema.Unknown, undefined, undefined),
  rule_files: field(Schema.Unknown, undefined, undefined),
  storage: field(Schema.Unknown, undefined, undefined),
  tracing: field(Schema.Unknown, undefined, undefined),
  remote_write: field(Schema.Unknown, undefined, undefined),
  remote_read: field(Schema.Unknown, undefined, undefined),
  otlp: field(Schema.Unknown, undefined, undefined)
}).annotate({ expected: "a Prometheus configuration (a mapping)" })

export type PrometheusConfigInput = typeof PrometheusConfigInput.Type

export interface PrometheusConfig {
  readonly global: GlobalConfig
  readonly scrape_configs: ReadonlyArray<ScrapeConfig>
}

export const emptyPrometheusConfig: PrometheusConfigInput = {
  global: emptyGlobal, scrape_config_files: [], scrape_configs: [], runtime: undefined, alerting: undefined,
  rule_files: undefined, storage: undefined, tracing: undefined, remote_write: undefined, remote_read: undefined,
  otlp: undefined
}

const isIssue = (v: object): v is ConfigIssue => "message" in v && "path" in v

/**
 * `Config.UnmarshalYAML`: the global block, then every job in order, then job-name uniqueness. Prometheus stops at
 * the first problem; so do we within a job, but every job is checked, so one run reports them all.
 */
export const resolvePrometheusConfig = (
  input: PrometheusConfigInput,
  path: Path
): { readonly config: PrometheusConfig; readonly issues: ReadonlyArray<ConfigIssue> } => {
  const issues: Array<ConfigIssue> = []
  const g = resolveGlobal(input.global, [...path, "global"])
  const global = isIssue(g) ? (issues.push(g), resolveGlobal(emptyGlobal, []) as GlobalConfig) : g
  if (input.scrape_config_files.length > 0) {
    issues.push(issue([...path, "scrape_config_files"], "is not supported yet: put the jobs in scrape_configs"))
  }
  const seen = new Map<string, number>()
  const scrape_configs: Array<ScrapeConfig> = []
  for (const [i, sc] of input.scrape_configs.entries()) {
    const jobPath = [...path, "scrape_configs", i]
    const withJob = (x: ConfigIssue): ConfigIssue => (sc.job_name === "" ? x : { ...x, job: sc.job_name })
    const first = seen.get(sc.job_name)
    if (first !== undefined) {
      issues.push(withJob(issue([...jobPath, "job_name"], `found multiple scrape configs with job name ${JSON.stringify(sc.job_name)} (first at index ${first})`)))
      continue
    }
    seen.set(sc.job_name, i)
    const r = resolveScrapeConfig(sc, global, jobPath)
    if (isIssue(r)) issues.push(withJob(r))
    else scrape_configs.push(r)
  }
  return { config: { global, scrape_configs }, issues }
}
