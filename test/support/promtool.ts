/** Debian's `promtool` (2.42), when installed: the oracle for Prometheus's own checks. */
import { spawnSync } from "node:child_process"

const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" })
export const promtoolAvailable = probe.status === 0
export const promtoolVersion = /promtool, version (\S+)/.exec(`${probe.stdout ?? ""}`)?.[1] ?? "none"

export const promtool = (args: ReadonlyArray<string>) => {
  const r = spawnSync("promtool", args, { encoding: "utf8", timeout: 30_000 })
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` }
}

/**
 * Scrape-config keys Prometheus added after 2.42, which 2.42's strict parser refuses. They are removed before a
 * document we render is handed to promtool 2.42; everything else must pass as it is.
 */
export const keysAfter242 = new Set([
  "track_timestamps_staleness", "enable_compression", "scrape_protocols", "fallback_scrape_protocol",
  "scrape_native_histograms", "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb",
  "metric_name_validation_scheme", "metric_name_escaping_scheme", "extra_scrape_metrics", "scrape_failure_log_file",
  "keep_dropped_targets", "native_histogram_min_bucket_factor", "http_headers"
])
