/**
 * `check service-discovery`: for every discovered target, the labels before and after relabeling, as
 * `promtool check service-discovery` prints them: Prometheus 3's `PopulateLabels`, and a result equal to an
 * earlier one of the same group source printed once (promtool compares within a source only).
 */
import { parsePrometheusDuration } from "../config/duration.ts"
import type { ScrapeConfig } from "../config/prometheus/scrapeConfig.ts"
import type { TargetGroup } from "../discovery/targetGroup.ts"
import * as L from "../labels/labels.ts"
import { isValidLabelValue } from "../labels/names.ts"
import { process, type LabelBuilder } from "../relabel/relabel.ts"
import { discoveredLabels, seedsOf } from "../targets/build.ts"

export interface SdCheckResult {
  readonly discoveredLabels: Readonly<Record<string, string>>
  /** `{}` when relabeling dropped the target or it is invalid. */
  readonly labels: Readonly<Record<string, string>>
  readonly error?: string
}

const sortedRecord = (lb: LabelBuilder): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of [...lb.keys()].sort()) out[name] = lb.get(name)!
  return out
}

const histogramLabels: ReadonlyArray<readonly [string, string]> = [
  ["__convert_classic_histograms_to_nhcb__", "convert classic histograms to nhcb"],
  ["__always_scrape_classic_histograms__", "always scrape classic histograms"],
  ["__scrape_native_histograms__", "scrape native histograms"]
]
const goBool = /^(?:1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/

/** What Prometheus keeps of a discovered target after relabeling, or why it refuses it. */
const populateLabels = (lb: LabelBuilder, sc: ScrapeConfig): { readonly labels: LabelBuilder | undefined; readonly error?: string } => {
  if (!process(lb, sc.relabel_rules)) return { labels: undefined }
  const address = lb.get("__address__") ?? ""
  if (address === "") return { labels: undefined, error: "no address" }
  if (address.includes("/")) return { labels: undefined, error: `${JSON.stringify(address)} is not a valid hostname` }
  const interval = lb.get("__scrape_interval__") ?? ""
  const intervalMs = parsePrometheusDuration(interval)
  if (intervalMs === undefined) return { labels: undefined, error: `error parsing scrape interval: not a valid duration string: ${JSON.stringify(interval)}` }
  if (intervalMs === 0) return { labels: undefined, error: "scrape interval cannot be 0" }
  const timeout = lb.get("__scrape_timeout__") ?? ""
  const timeoutMs = parsePrometheusDuration(timeout)
  if (timeoutMs === undefined) return { labels: undefined, error: `error parsing scrape timeout: not a valid duration string: ${JSON.stringify(timeout)}` }
  if (timeoutMs === 0) return { labels: undefined, error: "scrape timeout cannot be 0" }
  if (timeoutMs > intervalMs) {
    return { labels: undefined, error: `scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})` }
  }
  for (const [name, desc] of histogramLabels) {
    const v = lb.get(name)
    if (v !== undefined && !goBool.test(v)) return { labels: undefined, error: `error parsing ${desc}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax` }
  }
  for (const name of [...lb.keys()]) if (name.startsWith("__meta_")) lb.delete(name)
  if ((lb.get("instance") ?? "") === "") lb.set("instance", address)
  for (const [name, value] of lb) {
    if (!isValidLabelValue(value)) return { labels: undefined, error: `invalid label value for ${JSON.stringify(name)}: ${JSON.stringify(value)}` }
  }
  return { labels: lb }
}


/**
 * The results source by source, as promtool groups them (all groups of one source together, equal results of a
 * source once). A generator, so a hundred thousand targets can be printed as they are computed.
 */
export function* sdCheckResults(sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): Generator<SdCheckResult> {
  const seeds = seedsOf(sc)
  const bySource = Map.groupBy(groups, (g) => g.source)
  for (const ofSource of bySource.values()) {
    const seen = new Set<string>()
    for (const group of ofSource) {
      for (const target of group.targets) {
        const lb = discoveredLabels(L.merge(group.labels, target), seeds)
        const discovered = sortedRecord(lb)
        const { labels, error } = populateLabels(lb, sc)
        const result: SdCheckResult = {
          discoveredLabels: discovered,
          labels: labels === undefined ? {} : sortedRecord(labels),
          ...(error === undefined ? {} : { error })
        }
        const text = JSON.stringify([error, discovered, result.labels])
        if (seen.has(text)) continue
        seen.add(text)
        yield result
      }
    }
  }
}

export const checkServiceDiscovery = (sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): ReadonlyArray<SdCheckResult> =>
  [...sdCheckResults(sc, groups)]

/**
 * What `promtool check config` adds to the config checks: every static target run through relabeling, the first
 * target Prometheus could not scrape reported as `instance <i> in group <source>: <why>`.
 */
export const staticTargetError = (sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): string | undefined => {
  const seeds = seedsOf(sc)
  for (const group of groups) {
    for (const [i, target] of group.targets.entries()) {
      const { error } = populateLabels(discoveredLabels(L.merge(group.labels, target), seeds), sc)
      if (error !== undefined) return `instance ${i} in group ${group.source}: ${error}`
    }
  }
  return undefined
}
