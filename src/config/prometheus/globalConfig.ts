/** The `global` block of a Prometheus config: defaults every scrape config inherits. */
import { Schema } from "effect"
import { PrometheusDuration, Text, withDefault } from "../scalars.ts"

export const defaultScrapeInterval = 60_000
export const defaultScrapeTimeout = 10_000
export const defaultEvaluationInterval = 60_000

export const GlobalConfigInput = Schema.Struct({
  scrape_interval: Schema.optionalKey(PrometheusDuration),
  scrape_timeout: Schema.optionalKey(PrometheusDuration),
  evaluation_interval: withDefault(PrometheusDuration, defaultEvaluationInterval),
  external_labels: withDefault(Schema.Record(Schema.String, Text), {})
}).annotate({ expected: "a mapping" })

export type GlobalConfigInput = typeof GlobalConfigInput.Type

export interface GlobalConfig {
  readonly scrape_interval: number
  readonly scrape_timeout: number
  readonly evaluation_interval: number
  readonly external_labels: Readonly<Record<string, string>>
}

/** Keys of Prometheus 3's `global` that this version does not implement yet. */
export const globalKeysNotYetSupported: ReadonlySet<string> = new Set([
  "rule_query_offset", "scrape_protocols", "scrape_failure_log_file", "query_log_file", "body_size_limit",
  "sample_limit", "label_limit", "label_name_length_limit", "label_value_length_limit", "target_limit",
  "keep_dropped_targets", "metric_name_validation_scheme", "metric_name_escaping_scheme",
  "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "scrape_native_histograms",
  "extra_scrape_metrics"
])
