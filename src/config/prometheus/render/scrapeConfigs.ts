/**
 * `/scrape_configs`: every job as Prometheus 3 marshals it (snake_case keys, defaults filled, Go's `omitempty`
 * rules), as JSON with keys sorted at every level, which the collector reads as YAML.
 *
 * `regex` is left out of `keepequal`/`dropequal` rules, which Prometheus refuses when it reads them back (#12534);
 * the upstream allocator does the same.
 */
import { formatPrometheusDuration } from "../../duration.ts"
import { formatBase2Bytes } from "../../scalars.ts"
import { defaultRegexSource, type RelabelConfig } from "../relabelConfig.ts"
import type { ScrapeConfig } from "../scrapeConfig.ts"
import { httpClientDocument } from "./httpClient.ts"
import { type Json, nz, type SecretMode, sortedJson } from "./json.ts"
import { sdDocuments } from "./serviceDiscovery.ts"

export const relabelDocument = (r: RelabelConfig): Json => ({
  source_labels: nz(r.source_labels),
  separator: r.separator,
  regex: r.action === "keepequal" || r.action === "dropequal" ? undefined : r.regex?.source ?? defaultRegexSource,
  modulus: nz(r.modulus),
  target_label: nz(r.target_label),
  replacement: r.replacement,
  action: nz(r.action)
})

export const scrapeConfigDocument = (sc: ScrapeConfig): Json => ({
  job_name: sc.job_name,
  honor_labels: nz(sc.honor_labels),
  honor_timestamps: sc.honor_timestamps,
  track_timestamps_staleness: sc.track_timestamps_staleness,
  params: nz(sc.params),
  scrape_interval: formatPrometheusDuration(sc.scrape_interval),
  scrape_timeout: formatPrometheusDuration(sc.scrape_timeout),
  scrape_protocols: nz(sc.scrape_protocols),
  fallback_scrape_protocol: nz(sc.fallback_scrape_protocol),
  scrape_native_histograms: sc.scrape_native_histograms,
  always_scrape_classic_histograms: sc.always_scrape_classic_histograms,
  convert_classic_histograms_to_nhcb: sc.convert_classic_histograms_to_nhcb,
  scrape_failure_log_file: nz(sc.scrape_failure_log_file),
  metrics_path: nz(sc.metrics_path),
  scheme: nz(sc.scheme),
  enable_compression: sc.enable_compression,
  body_size_limit: sc.body_size_limit === 0 ? undefined : formatBase2Bytes(sc.body_size_limit),
  sample_limit: nz(sc.sample_limit),
  target_limit: nz(sc.target_limit),
  label_limit: nz(sc.label_limit),
  label_name_length_limit: nz(sc.label_name_length_limit),
  label_value_length_limit: nz(sc.label_value_length_limit),
  native_histogram_bucket_limit: nz(sc.native_histogram_bucket_limit),
  native_histogram_min_bucket_factor: nz(sc.native_histogram_min_bucket_factor),
  keep_dropped_targets: nz(sc.keep_dropped_targets),
  metric_name_validation_scheme: sc.metric_name_validation_scheme,
  metric_name_escaping_scheme: nz(sc.metric_name_escaping_scheme),
  extra_scrape_metrics: sc.extra_scrape_metrics,
  ...httpClientDocument(sc),
  static_configs: nz(sc.static_configs.map((s) => ({ targets: s.targets, labels: nz(s.labels) }))),
  ...sdDocuments(sc),
  relabel_configs: nz(sc.relabel_configs.map(relabelDocument)),
  metric_relabel_configs: nz(sc.metric_relabel_configs.map(relabelDocument))
})

/** The `/scrape_configs` body: `{"<job_name>": <scrape config>}`. */
export const renderScrapeConfigs = (configs: ReadonlyArray<ScrapeConfig>, secrets: SecretMode): string =>
  sortedJson(Object.fromEntries(configs.map((sc) => [sc.job_name, scrapeConfigDocument(sc)])), secrets)
