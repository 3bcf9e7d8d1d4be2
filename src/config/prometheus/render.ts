/**
 * `/scrape_configs`: every job as Prometheus 3 marshals it (snake_case keys, defaults filled, Go's `omitempty`
 * rules), as JSON with keys sorted at every level, which the collector reads as YAML.
 *
 * Secrets are `<secret>` unless revealed on purpose; a proxy URL's password is always `xxxxx`, as Prometheus's
 * URL type marshals it. `regex` is left out of `keepequal`/`dropequal` rules, which Prometheus refuses when it reads
 * them back (#12534); the upstream allocator does the same.
 */
import { formatPrometheusDuration } from "../duration.ts"
import { formatBase2Bytes } from "../scalars.ts"
import { Secret } from "../secret.ts"
import type { HttpClientConfig, TLSConfig } from "./httpClientConfig.ts"
import { defaultRegexSource, type RelabelConfig } from "./relabelConfig.ts"
import type { ScrapeConfig } from "./scrapeConfig.ts"
import { sdKey, sdMechanisms } from "./serviceDiscovery.ts"

export type SecretMode = "redact" | "reveal"

export type Json = string | number | bigint | boolean | null | Secret | ReadonlyArray<Json> | { readonly [k: string]: Json | undefined }

/** JSON with object keys sorted at every level; `undefined` members are left out. */
export const sortedJson = (v: Json, secrets: SecretMode): string => {
  if (v instanceof Secret) return JSON.stringify(secrets === "reveal" ? v.reveal() : v.toString())
  if (typeof v === "bigint") return v.toString()
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map((x: Json) => sortedJson(x, secrets)).join(",")}]`
  const obj = v as { readonly [k: string]: Json | undefined }
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k]!, secrets)}`).join(",")}}`
}

/** Go's `omitempty`: zero values are left out. */
const nz = <A>(v: A): A | undefined =>
  v === undefined || v === null || v === "" || v === 0 || v === 0n || v === false ||
    (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && !(v instanceof Secret) && Object.keys(v as object).length === 0)
    ? undefined
    : v
const secret = (s: Secret | undefined): Secret | undefined => (s === undefined || s.reveal() === "" ? undefined : s)

export const relabelDocument = (r: RelabelConfig): Json => ({
  source_labels: nz(r.source_labels),
  separator: r.separator,
  regex: r.action === "keepequal" || r.action === "dropequal" ? undefined : r.regex?.source ?? defaultRegexSource,
  modulus: nz(r.modulus),
  target_label: nz(r.target_label),
  replacement: r.replacement,
  action: nz(r.action)
})

const redactUrl = (u: string): string => {
  // Go's URL.Redacted: a password in the userinfo becomes "xxxxx".
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#@]*)@/.exec(u)
  if (m === null || !m[2]!.includes(":")) return u
  return `${m[1]}${m[2]!.slice(0, m[2]!.indexOf(":"))}:xxxxx@${u.slice(m[0].length)}`
}

const tlsDocument = (t: TLSConfig | undefined): Json | undefined => {
  if (t === undefined) return undefined
  const doc = {
    ca: nz(t.ca), cert: nz(t.cert), key: secret(t.key), ca_file: nz(t.ca_file), cert_file: nz(t.cert_file),
    key_file: nz(t.key_file), ca_ref: nz(t.ca_ref), cert_ref: nz(t.cert_ref), key_ref: nz(t.key_ref),
    server_name: nz(t.server_name), min_version: nz(t.min_version), max_version: nz(t.max_version)
  }
  const empty = Object.values(doc).every((v) => v === undefined) && !t.insecure_skip_verify
  return empty ? undefined : { ...doc, insecure_skip_verify: t.insecure_skip_verify }
}

const proxyDocument = (p: Pick<HttpClientConfig, "proxy_url" | "no_proxy" | "proxy_from_environment" | "proxy_connect_header">) => ({
  proxy_url: p.proxy_url === undefined || p.proxy_url === "" ? undefined : redactUrl(p.proxy_url),
  no_proxy: nz(p.no_proxy),
  proxy_from_environment: nz(p.proxy_from_environment),
  proxy_connect_header: nz(p.proxy_connect_header)
})

export const httpClientDocument = (c: HttpClientConfig) => {
  const b = c.basic_auth
  const a = c.authorization
  const o = c.oauth2
  return {
    basic_auth: b === undefined ? undefined : {
      username: nz(b.username), username_file: nz(b.username_file), username_ref: nz(b.username_ref),
      password: secret(b.password), password_file: nz(b.password_file), password_ref: nz(b.password_ref)
    },
    authorization: a === undefined ? undefined : {
      type: nz(a.type), credentials: secret(a.credentials), credentials_file: nz(a.credentials_file), credentials_ref: nz(a.credentials_ref)
    },
    oauth2: o === undefined ? undefined : {
      client_id: nz(o.client_id), client_secret: secret(o.client_secret), client_secret_file: nz(o.client_secret_file),
      client_secret_ref: nz(o.client_secret_ref), client_certificate_key_id: nz(o.client_certificate_key_id),
      client_certificate_key: secret(o.client_certificate_key), client_certificate_key_file: nz(o.client_certificate_key_file),
      client_certificate_key_ref: nz(o.client_certificate_key_ref), grant_type: nz(o.grant_type),
      signature_algorithm: nz(o.signature_algorithm), iss: nz(o.iss), audience: nz(o.audience),
      claims: nz(o.claims) as Json | undefined, scopes: nz(o.scopes), token_url: nz(o.token_url),
      endpoint_params: nz(o.endpoint_params), tls_config: tlsDocument(o.tls_config), ...proxyDocument(o)
    },
    bearer_token: secret(c.bearer_token),
    bearer_token_file: nz(c.bearer_token_file),
    tls_config: tlsDocument(c.tls_config),
    follow_redirects: c.follow_redirects,
    enable_http2: c.enable_http2,
    ...proxyDocument(c),
    http_headers: nz(c.http_headers)
  }
}

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
  ...Object.fromEntries(sdMechanisms.map((m) => [sdKey(m), nz(sc[sdKey(m)]) as Json | undefined])),
  relabel_configs: nz(sc.relabel_configs.map(relabelDocument)),
  metric_relabel_configs: nz(sc.metric_relabel_configs.map(relabelDocument))
})

/** The `/scrape_configs` body: `{"<job_name>": <scrape config>}`. */
export const renderScrapeConfigs = (configs: ReadonlyArray<ScrapeConfig>, secrets: SecretMode): string =>
  sortedJson(Object.fromEntries(configs.map((sc) => [sc.job_name, scrapeConfigDocument(sc)])), secrets)
