/** `scrape_config`: one job, as decoded from YAML and as resolved against `global`. */
import { Schema } from "effect"
import { Bool, PrometheusDuration, Text, withDefault } from "../scalars.ts"
import { RelabelConfig } from "./relabelConfig.ts"
import { StaticConfig } from "./staticConfig.ts"

const JobName = Text.check(Schema.isNonEmpty({ expected: "a non-empty job name" }))
const Scheme = Text.pipe(Schema.decodeTo(Schema.Literals(["http", "https"]).annotate({ expected: `"http" or "https"` })))

export const ScrapeConfigInput = Schema.Struct({
  job_name: JobName,
  honor_labels: withDefault(Bool, false),
  honor_timestamps: withDefault(Bool, true),
  track_timestamps_staleness: withDefault(Bool, false),
  scrape_interval: Schema.optionalKey(PrometheusDuration),
  scrape_timeout: Schema.optionalKey(PrometheusDuration),
  metrics_path: withDefault(Text, "/metrics"),
  scheme: withDefault(Scheme, "http"),
  params: Schema.optionalKey(Schema.Record(Schema.String, Schema.Array(Text))),
  enable_compression: withDefault(Bool, true),
  enable_http2: withDefault(Bool, true),
  follow_redirects: withDefault(Bool, true),
  static_configs: withDefault(Schema.Array(StaticConfig), []),
  relabel_configs: withDefault(Schema.Array(RelabelConfig), []),
  metric_relabel_configs: withDefault(Schema.Array(RelabelConfig), [])
}).annotate({ expected: "a scrape config (a mapping)" })

export type ScrapeConfigInput = typeof ScrapeConfigInput.Type

/** A scrape config with every default filled: what discovery, filtering and `/scrape_configs` work from. */
export interface ScrapeConfig extends Omit<ScrapeConfigInput, "scrape_interval" | "scrape_timeout"> {
  readonly scrape_interval: number
  readonly scrape_timeout: number
}

/** Prometheus 3 scrape-config keys that this version does not implement yet: refused, never ignored. */
export const scrapeKeysNotYetSupported: ReadonlySet<string> = new Set([
  "scrape_protocols", "fallback_scrape_protocol", "scrape_failure_log_file", "basic_auth", "authorization",
  "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment",
  "proxy_connect_header", "http_headers", "sample_limit", "label_limit", "label_name_length_limit",
  "label_value_length_limit", "target_limit", "body_size_limit", "keep_dropped_targets",
  "native_histogram_bucket_limit", "native_histogram_min_bucket_factor", "scrape_classic_histograms",
  "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "scrape_native_histograms",
  "metric_name_validation_scheme", "metric_name_escaping_scheme", "extra_scrape_metrics"
])
