/** The `global` block of a Prometheus 3 config: the defaults every scrape config inherits. */
import { Schema } from "effect"
import { isValidLabelName, isValidLabelValue, type NameValidationScheme } from "../../labels/names.ts"
import { issue, type ConfigIssue, type Path } from "../issues.ts"
import { Bool, ByteSize, field, PrometheusDuration, Text, Uint, withDefault } from "../scalars.ts"
import { ScrapeProtocol, type ScrapeProtocolName, validateScrapeProtocols } from "./scrapeProtocols.ts"

export const defaultScrapeInterval = 60_000
export const defaultScrapeTimeout = 10_000
export const defaultEvaluationInterval = 60_000

/** The scrape limits, in `global` and in every job (0: no limit, or the global one). */
export const limitFields = {
  body_size_limit: withDefault(ByteSize, 0),
  sample_limit: withDefault(Uint, 0),
  target_limit: withDefault(Uint, 0),
  label_limit: withDefault(Uint, 0),
  label_name_length_limit: withDefault(Uint, 0),
  label_value_length_limit: withDefault(Uint, 0)
}

export const GlobalConfigInput = Schema.Struct({
  scrape_interval: withDefault(PrometheusDuration, 0),
  scrape_timeout: withDefault(PrometheusDuration, 0),
  scrape_protocols: field(Schema.Array(ScrapeProtocol), undefined, undefined),
  evaluation_interval: withDefault(PrometheusDuration, 0),
  rule_query_offset: withDefault(PrometheusDuration, 0),
  query_log_file: withDefault(Text, ""),
  scrape_failure_log_file: withDefault(Text, ""),
  external_labels: withDefault(Schema.Record(Schema.String, Text), {}),
  ...limitFields,
  keep_dropped_targets: withDefault(Uint, 0),
  metric_name_validation_scheme: withDefault(Text, ""),
  metric_name_escaping_scheme: withDefault(Text, ""),
  scrape_native_histograms: field(Bool, undefined, undefined),
  convert_classic_histograms_to_nhcb: withDefault(Bool, false),
  always_scrape_classic_histograms: withDefault(Bool, false),
  extra_scrape_metrics: field(Bool, undefined, undefined)
}).annotate({ expected: "a mapping" })

export type GlobalConfigInput = typeof GlobalConfigInput.Type

export interface GlobalConfig extends Omit<GlobalConfigInput, "metric_name_validation_scheme" | "scrape_native_histograms" | "extra_scrape_metrics"> {
  readonly metric_name_validation_scheme: NameValidationScheme
  readonly scrape_native_histograms: boolean
  readonly extra_scrape_metrics: boolean
}

export const emptyGlobal: GlobalConfigInput = {
  scrape_interval: 0, scrape_timeout: 0, scrape_protocols: undefined, evaluation_interval: 0, rule_query_offset: 0,
  query_log_file: "", scrape_failure_log_file: "", external_labels: {}, body_size_limit: 0, sample_limit: 0,
  target_limit: 0, label_limit: 0, label_name_length_limit: 0, label_value_length_limit: 0, keep_dropped_targets: 0,
  metric_name_validation_scheme: "", metric_name_escaping_scheme: "", scrape_native_histograms: undefined,
  convert_classic_histograms_to_nhcb: false, always_scrape_classic_histograms: false, extra_scrape_metrics: undefined
}

/** `GlobalConfig.UnmarshalYAML`: defaults, then the checks, in Prometheus's order. */
export const resolveGlobal = (g: GlobalConfigInput, path: Path): GlobalConfig | ConfigIssue => {
  // An unknown scheme silently becomes the default here; only scrape configs refuse one.
  const scheme: NameValidationScheme = g.metric_name_validation_scheme === "legacy" ? "legacy" : "utf8"
  for (const [name, value] of Object.entries(g.external_labels)) {
    if (!isValidLabelName(name, scheme)) return issue([...path, "external_labels"], `${JSON.stringify(name)} is not a valid label name`)
    if (!isValidLabelValue(value)) return issue([...path, "external_labels"], `${JSON.stringify(value)} is not a valid label value`)
  }
  const interval = g.scrape_interval || defaultScrapeInterval
  if (g.scrape_timeout > interval) return issue([...path, "scrape_timeout"], "global scrape timeout greater than scrape interval")
  if (g.scrape_protocols !== undefined) {
    const bad = validateScrapeProtocols(g.scrape_protocols as ReadonlyArray<ScrapeProtocolName>)
    if (bad !== undefined) return issue([...path, "scrape_protocols"], `${bad} for global config`)
  }
  return {
    ...g,
    scrape_interval: interval,
    scrape_timeout: g.scrape_timeout || Math.min(defaultScrapeTimeout, interval),
    evaluation_interval: g.evaluation_interval || defaultEvaluationInterval,
    metric_name_validation_scheme: scheme,
    scrape_native_histograms: g.scrape_native_histograms ?? false,
    extra_scrape_metrics: g.extra_scrape_metrics ?? false
  }
}
