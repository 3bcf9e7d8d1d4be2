/**
 * `scrape_config`: one job, as decoded from YAML (every Prometheus 3 field) and as resolved by Prometheus's
 * `ScrapeConfig.Validate` against `global`: intervals, limits, protocols and schemes inherited, auth normalised,
 * relabel rules checked and compiled.
 */
import { Schema } from "effect"
import { isValidLabelName, isValidLabelValue, type NameValidationScheme } from "../../labels/names.ts"
import { issue, type ConfigIssue, type Path } from "../issues.ts"
import { Bool, field, Float, PrometheusDuration, Text, Uint, withDefault } from "../scalars.ts"
import { limitFields, type GlobalConfig } from "./globalConfig.ts"
import { httpClientFields, validateHttpClient } from "./httpClientConfig.ts"
import { RelabelConfig, type RelabelRule, validateRelabelConfig } from "./relabelConfig.ts"
import {
  defaultProtoFirstScrapeProtocols, defaultScrapeProtocols, ScrapeProtocol, unknownProtocol, validateScrapeProtocols
} from "./scrapeProtocols.ts"
import { validateDnsSdConfig, type DnsSdConfig } from "./sd/dns.ts"
import { validateFileSdConfig, type FileSdConfig } from "./sd/file.ts"
import { validateHttpSdConfig, type HttpSdConfig } from "./sd/http.ts"
import { resolveKubernetesSdConfig, type KubernetesSdConfig } from "./sd/kubernetes.ts"
import { sdFields } from "./serviceDiscovery.ts"
import { StaticConfig } from "./staticConfig.ts"

export const ScrapeConfigInput = Schema.Struct({
  job_name: withDefault(Text, ""),
  honor_labels: field(Bool, false, false),
  honor_timestamps: field(Bool, true, false),
  track_timestamps_staleness: field(Bool, false, false),
  params: field(Schema.Record(Schema.String, Schema.Array(Text)), undefined, undefined),
  scrape_interval: withDefault(PrometheusDuration, 0),
  scrape_timeout: withDefault(PrometheusDuration, 0),
  scrape_protocols: field(Schema.Array(ScrapeProtocol), undefined, undefined),
  fallback_scrape_protocol: withDefault(Text, ""),
  scrape_native_histograms: field(Bool, undefined, undefined),
  always_scrape_classic_histograms: field(Bool, undefined, undefined),
  convert_classic_histograms_to_nhcb: field(Bool, undefined, undefined),
  scrape_failure_log_file: withDefault(Text, ""),
  metrics_path: field(Text, "/metrics", ""),
  scheme: field(Text, "http", ""),
  enable_compression: field(Bool, true, false),
  ...limitFields,
  native_histogram_bucket_limit: withDefault(Uint, 0),
  native_histogram_min_bucket_factor: withDefault(Float, 0),
  keep_dropped_targets: withDefault(Uint, 0),
  metric_name_validation_scheme: withDefault(Text, ""),
  metric_name_escaping_scheme: withDefault(Text, ""),
  extra_scrape_metrics: field(Bool, undefined, undefined),
  ...httpClientFields,
  static_configs: field(Schema.Array(StaticConfig), [], []),
  ...sdFields,
  relabel_configs: field(Schema.Array(RelabelConfig), [], []),
  metric_relabel_configs: field(Schema.Array(RelabelConfig), [], [])
}).annotate({ expected: "a scrape config (a mapping)" })

export type ScrapeConfigInput = typeof ScrapeConfigInput.Type

/** A job with every default filled: what discovery, filtering and `/scrape_configs` work from. */
export interface ScrapeConfig extends Omit<ScrapeConfigInput,
  "metric_name_validation_scheme" | "scrape_native_histograms" | "always_scrape_classic_histograms" |
  "convert_classic_histograms_to_nhcb" | "extra_scrape_metrics" | "scrape_protocols" | "kubernetes_sd_configs" |
  "file_sd_configs" | "http_sd_configs" | "dns_sd_configs"> {
  readonly kubernetes_sd_configs: ReadonlyArray<KubernetesSdConfig> | undefined
  readonly file_sd_configs: ReadonlyArray<FileSdConfig> | undefined
  readonly http_sd_configs: ReadonlyArray<HttpSdConfig> | undefined
  readonly dns_sd_configs: ReadonlyArray<DnsSdConfig> | undefined
  readonly scrape_protocols: ReadonlyArray<string>
  readonly scrape_native_histograms: boolean
  readonly always_scrape_classic_histograms: boolean
  readonly convert_classic_histograms_to_nhcb: boolean
  readonly extra_scrape_metrics: boolean
  readonly metric_name_validation_scheme: NameValidationScheme
  readonly relabel_rules: ReadonlyArray<RelabelRule>
  readonly metric_relabel_rules: ReadonlyArray<RelabelRule>
}

const escapingSchemes = ["allow-utf-8", "underscores", "dots", "values"]

/** Checks every block of one mechanism: the resolved blocks, or the first problem. */
const resolveAll = <I, O>(
  blocks: ReadonlyArray<I> | undefined,
  resolve: (block: I, path: Path) => O | ConfigIssue,
  path: Path
): ReadonlyArray<O> | ConfigIssue => {
  const out: Array<O> = []
  for (const [i, b] of (blocks ?? []).entries()) {
    const r = resolve(b, [...path, i])
    if (typeof r === "object" && r !== null && "message" in r && "path" in r) return r as ConfigIssue
    out.push(r as O)
  }
  return out
}

const compileRules = (
  configs: ReadonlyArray<RelabelConfig>,
  scheme: NameValidationScheme,
  path: Path
): ReadonlyArray<RelabelRule> | ConfigIssue => {
  const rules: Array<RelabelRule> = []
  for (const [i, c] of configs.entries()) {
    const r = validateRelabelConfig(c, scheme)
    if (typeof r === "string") return issue([...path, i], r)
    rules.push(r)
  }
  return rules
}

/** `UnmarshalYAML` then `Validate(global)` of Prometheus's `ScrapeConfig`: the first problem found, or the job. */
export const resolveScrapeConfig = (sc: ScrapeConfigInput, global: GlobalConfig, path: Path): ScrapeConfig | ConfigIssue => {
  const job = JSON.stringify(sc.job_name)
  if (sc.job_name === "") return issue([...path, "job_name"], "job_name is empty")
  const http = validateHttpClient(sc, path)
  if ("message" in http && "path" in http) return http
  for (const [i, st] of sc.static_configs.entries()) {
    for (const [name, value] of Object.entries(st.labels)) {
      if (!isValidLabelName(name)) return issue([...path, "static_configs", i, "labels"], `${JSON.stringify(name)} is not a valid label name`)
      if (!isValidLabelValue(value)) return issue([...path, "static_configs", i, "labels", name], `${JSON.stringify(value)} is not a valid label value`)
    }
  }
  if (sc.relabel_configs.length === 0) {
    // Prometheus's guard against URLs pasted as targets; relabeling could still fix them up, so only without it.
    for (const [i, st] of sc.static_configs.entries()) {
      for (const [j, t] of st.targets.entries()) {
        if (t.includes("/")) return issue([...path, "static_configs", i, "targets", j], `${JSON.stringify(t)} is not a valid hostname`)
      }
    }
  }
  const interval = sc.scrape_interval || global.scrape_interval
  if (sc.scrape_timeout > interval) {
    return issue([...path, "scrape_timeout"], `scrape timeout greater than scrape interval for scrape config with job name ${job}`)
  }
  const nativeHistograms = sc.scrape_native_histograms ?? global.scrape_native_histograms
  const protocols = sc.scrape_protocols ?? global.scrape_protocols ??
    (nativeHistograms ? defaultProtoFirstScrapeProtocols : defaultScrapeProtocols)
  const badProtocols = validateScrapeProtocols(protocols)
  if (badProtocols !== undefined) return issue([...path, "scrape_protocols"], `${badProtocols} for scrape config with job name ${job}`)
  if (sc.fallback_scrape_protocol !== "") {
    const bad = unknownProtocol(sc.fallback_scrape_protocol)
    if (bad !== undefined) {
      return issue([...path, "fallback_scrape_protocol"], `invalid fallback_scrape_protocol for scrape config with job name ${job}: ${bad}`)
    }
  }
  const localScheme = sc.metric_name_validation_scheme
  if (localScheme !== "" && localScheme !== "utf8" && localScheme !== "legacy") {
    return issue([...path, "metric_name_validation_scheme"], `unknown scrape config name validation method specified, must be either '', 'legacy' or 'utf8', got ${localScheme}`)
  }
  const scheme: NameValidationScheme = localScheme === "" ? global.metric_name_validation_scheme : localScheme
  let globalEscaping = global.metric_name_escaping_scheme
  if (globalEscaping === "") globalEscaping = global.metric_name_validation_scheme === "legacy" ? "underscores" : "allow-utf-8"
  else if (!escapingSchemes.includes(globalEscaping)) {
    return issue([...path, "metric_name_escaping_scheme"], `unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got ${JSON.stringify(globalEscaping)}`)
  }
  const escaping = sc.metric_name_escaping_scheme !== ""
    ? sc.metric_name_escaping_scheme
    : localScheme === "" ? globalEscaping : scheme === "legacy" ? "underscores" : "allow-utf-8"
  if (escaping === "allow-utf-8" && scheme !== "utf8") {
    return issue([...path, "metric_name_escaping_scheme"], "utf8 metric names requested but validation scheme is not set to UTF8")
  }
  if (!escapingSchemes.includes(escaping)) {
    return issue([...path, "metric_name_escaping_scheme"], `unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got ${JSON.stringify(escaping)}`)
  }
  const kubernetes = resolveAll(sc.kubernetes_sd_configs, resolveKubernetesSdConfig, [...path, "kubernetes_sd_configs"])
  if (!Array.isArray(kubernetes)) return kubernetes as ConfigIssue
  const files = resolveAll(sc.file_sd_configs, validateFileSdConfig, [...path, "file_sd_configs"])
  if (!Array.isArray(files)) return files as ConfigIssue
  const https = resolveAll(sc.http_sd_configs, validateHttpSdConfig, [...path, "http_sd_configs"])
  if (!Array.isArray(https)) return https as ConfigIssue
  const dns = resolveAll(sc.dns_sd_configs, validateDnsSdConfig, [...path, "dns_sd_configs"])
  if (!Array.isArray(dns)) return dns as ConfigIssue
  const rules = compileRules(sc.relabel_configs, scheme, [...path, "relabel_configs"])
  if ("message" in rules) return rules
  const metricRules = compileRules(sc.metric_relabel_configs, scheme, [...path, "metric_relabel_configs"])
  if ("message" in metricRules) return metricRules
  return {
    ...http,
    scrape_interval: interval,
    scrape_timeout: sc.scrape_timeout || Math.min(global.scrape_timeout, interval),
    body_size_limit: sc.body_size_limit || global.body_size_limit,
    sample_limit: sc.sample_limit || global.sample_limit,
    target_limit: sc.target_limit || global.target_limit,
    label_limit: sc.label_limit || global.label_limit,
    label_name_length_limit: sc.label_name_length_limit || global.label_name_length_limit,
    label_value_length_limit: sc.label_value_length_limit || global.label_value_length_limit,
    keep_dropped_targets: sc.keep_dropped_targets || global.keep_dropped_targets,
    scrape_failure_log_file: sc.scrape_failure_log_file || global.scrape_failure_log_file,
    scrape_native_histograms: nativeHistograms,
    extra_scrape_metrics: sc.extra_scrape_metrics ?? global.extra_scrape_metrics,
    scrape_protocols: protocols,
    metric_name_validation_scheme: scheme,
    metric_name_escaping_scheme: escaping,
    convert_classic_histograms_to_nhcb: sc.convert_classic_histograms_to_nhcb ?? global.convert_classic_histograms_to_nhcb,
    always_scrape_classic_histograms: sc.always_scrape_classic_histograms ?? global.always_scrape_classic_histograms,
    kubernetes_sd_configs: sc.kubernetes_sd_configs === undefined ? undefined : kubernetes,
    file_sd_configs: sc.file_sd_configs === undefined ? undefined : files,
    http_sd_configs: sc.http_sd_configs === undefined ? undefined : https,
    dns_sd_configs: sc.dns_sd_configs === undefined ? undefined : dns,
    relabel_rules: rules,
    metric_relabel_rules: metricRules
  }
}
