/**
 * `/scrape_configs`: every job as Prometheus would marshal it (snake_case keys, defaults filled, keys sorted at
 * every level), as JSON, which the collector reads as YAML.
 *
 * Two deliberate differences from Go's marshalling, both so that what the collector parses is what the user wrote:
 * `replacement` and `separator` are always written (Go omits empty ones, and the collector then reads the default
 * `$1` or `;`), and `regex` is left out of `keepequal`/`dropequal` rules (Prometheus refuses it there, #12534).
 */
import { formatPrometheusDuration } from "../duration.ts"
import { Secret } from "../secret.ts"
import type { RelabelConfig } from "./relabelConfig.ts"
import type { ScrapeConfig } from "./scrapeConfig.ts"

export type SecretMode = "redact" | "reveal"

type Json = string | number | boolean | null | Secret | ReadonlyArray<Json> | { readonly [k: string]: Json | undefined }

/** JSON with object keys sorted at every level; `undefined` members are left out. */
export const sortedJson = (v: Json, secrets: SecretMode): string => {
  if (v instanceof Secret) return JSON.stringify(secrets === "reveal" ? v.reveal() : v.toString())
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map((x: Json) => sortedJson(x, secrets)).join(",")}]`
  const obj = v as { readonly [k: string]: Json | undefined }
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k]!, secrets)}`).join(",")}}`
}

const nonEmpty = <A>(xs: ReadonlyArray<A>): ReadonlyArray<A> | undefined => (xs.length > 0 ? xs : undefined)

export const relabelDocument = (r: RelabelConfig): Json => ({
  source_labels: nonEmpty(r.source_labels),
  separator: r.separator,
  regex: r.action === "keepequal" || r.action === "dropequal" ? undefined : r.regex,
  modulus: r.modulus === 0 ? undefined : r.modulus,
  target_label: r.target_label === "" ? undefined : r.target_label,
  replacement: r.replacement,
  action: r.action
})

export const scrapeConfigDocument = (sc: ScrapeConfig): Json => ({
  job_name: sc.job_name,
  honor_labels: sc.honor_labels,
  honor_timestamps: sc.honor_timestamps,
  track_timestamps_staleness: sc.track_timestamps_staleness,
  scrape_interval: formatPrometheusDuration(sc.scrape_interval),
  scrape_timeout: formatPrometheusDuration(sc.scrape_timeout),
  metrics_path: sc.metrics_path,
  scheme: sc.scheme,
  params: sc.params,
  enable_compression: sc.enable_compression,
  enable_http2: sc.enable_http2,
  follow_redirects: sc.follow_redirects,
  static_configs: nonEmpty(sc.static_configs.map((s) => ({
    targets: s.targets,
    labels: Object.keys(s.labels).length > 0 ? s.labels : undefined
  }))),
  relabel_configs: nonEmpty(sc.relabel_configs.map(relabelDocument)),
  metric_relabel_configs: nonEmpty(sc.metric_relabel_configs.map(relabelDocument))
})

/** The `/scrape_configs` body: `{"<job_name>": <scrape config>}`. */
export const renderScrapeConfigs = (configs: ReadonlyArray<ScrapeConfig>, secrets: SecretMode): string =>
  sortedJson(Object.fromEntries(configs.map((sc) => [sc.job_name, scrapeConfigDocument(sc)])), secrets)
