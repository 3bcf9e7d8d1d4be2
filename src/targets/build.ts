/**
 * Whether a discovered target is kept, and its identity: filter with the job's relabel rules
 * (`filter_strategy: relabel-config`), and hash what makes the target distinct.
 *
 * Filtering follows the upstream allocator: the labels Prometheus adds before relabeling are seeded where absent,
 * prometheus-operator's `$(SHARD)` keep rule is made to pass (`__tmp_disable_sharding`), and the identity is the
 * post-relabel labels without `__meta_*`. What is served stays the merged pre-relabel labels: collectors relabel
 * them again themselves.
 */
import { formatPrometheusDuration } from "../config/duration.ts"
import { sortedJson } from "../config/prometheus/render/json.ts"
import { relabelDocument } from "../config/prometheus/render/scrapeConfigs.ts"
import type { ScrapeConfig } from "../config/prometheus/scrapeConfig.ts"
import * as H from "../labels/hash.ts"
import * as L from "../labels/labels.ts"
import { type LabelBuilder, type LabelReader, leadingFilters, passesFilters, process } from "../relabel/relabel.ts"
import { identity } from "./identity.ts"

/** What a filter returns for a target it drops: identities are never negative. */
export const DROPPED = -1

/** The identity of the target with these labels within its job, or `DROPPED` when the job's filter drops it. */
export type TargetFilter = (groupLabels: L.Labels, targetLabels: L.Labels) => number

/** The filter of a job, with a key that changes exactly when the filter would decide differently. */
export interface JobFilter {
  readonly key: string
  readonly filter: TargetFilter
}

export const filterStrategyRelabel = "relabel-config"

export const unfiltered = (job: string): TargetFilter => (groupLabels, targetLabels) =>
  identity(job, L.merge(groupLabels, targetLabels))

/** The labels Prometheus 3 sets before relabeling, where the target has none (`PopulateDiscoveredLabels`). */
export const seedsOf = (sc: ScrapeConfig): ReadonlyArray<readonly [string, string]> => [
  ["job", sc.job_name],
  ["__scrape_interval__", formatPrometheusDuration(sc.scrape_interval)],
  ["__scrape_timeout__", formatPrometheusDuration(sc.scrape_timeout)],
  ["__metrics_path__", sc.metrics_path],
  ["__scheme__", sc.scheme],
  ["__convert_classic_histograms_to_nhcb__", String(sc.convert_classic_histograms_to_nhcb)],
  ["__always_scrape_classic_histograms__", String(sc.always_scrape_classic_histograms)],
  ["__scrape_native_histograms__", String(sc.scrape_native_histograms)],
  ...Object.entries(sc.params ?? {}).flatMap(([k, v]) => (v.length > 0 ? [[`__param_${k}`, v[0]!] as const] : []))
]

/** Merged labels with the seeds added where absent or empty, in Prometheus's order. */
export const discoveredLabels = (merged: L.Labels, seeds: ReadonlyArray<readonly [string, string]>): LabelBuilder => {
  const lb: LabelBuilder = new Map()
  for (let i = 0; i < merged.length; i += 2) lb.set(merged[i]!, merged[i + 1]!)
  for (const [name, value] of seeds) if ((lb.get(name) ?? "") === "" && value !== "") lb.set(name, value)
  return lb
}

const disableSharding = "__tmp_disable_sharding"

/**
 * Identities leave out what every target of the job shares: a label whose value is the job's seed for it (the
 * scheme, the metrics path, the intervals, the histogram flags and the job, at a million targets most of what
 * would be hashed). The seeds are fixed for a filter, so two targets have the same labels exactly when they have
 * the same labels that differ from the seeds, and the same seeds missing.
 */
type SeedValues = ReadonlyMap<string, string>

/** Identity of a relabeled builder: sorted labels without `__meta_*` or seed values, then the job. */
const builderIdentity = (job: string, lb: LabelBuilder, seeds: SeedValues): number => {
  const names = [...lb.keys()].filter((n) => !isMeta(n))
  for (const n of seeds.keys()) if (!lb.has(n)) names.push(n)
  names.sort()
  const h = H.start()
  for (const n of names) {
    const v = lb.get(n)
    if (v === seeds.get(n)) continue
    H.update(h, n)
    H.update(h, v ?? "")
    // A seed a rule removed: an empty name after it, which no label has, tells it from a seed set to "".
    if (v === undefined) H.update(h, "")
  }
  H.update(h, job)
  return H.finish(h)
}

const isMeta = (name: string): boolean => name.startsWith("__meta_")

// Sorted names that start with `__meta_` form one run, from the first not before `__meta_` to the first not
// before `__meta` followed by the character after `_`.
const META_FROM = "__meta_"
const META_TO = "__meta`"

/**
 * The identity of a target that filtering rules alone kept: its labels are the discovered ones with the seeds
 * filled in, so the identity is hashed from the group's labels and the target's, walked in name order as
 * `builderIdentity` would see them, without building them, and with the `__meta_*` run of each skipped whole (most
 * of the cost of a job without rewriting rules, at a million targets). A discovered label equal to its seed, or
 * empty where a seed fills it, is the seed's.
 */
const discoveredIdentity = (job: string, group: L.Labels, groupMeta: number, groupMetaEnd: number, target: L.Labels, seeds: SeedValues): number => {
  const targetMeta = L.lowerBound(target, META_FROM)
  const targetMetaEnd = L.lowerBound(target, META_TO)
  const h = H.start()
  let i = 0
  let j = 0
  for (;;) {
    if (i === groupMeta) i = groupMetaEnd
    if (j === targetMeta) j = targetMetaEnd
    if (i >= group.length && j >= target.length) break
    const g = i < group.length ? group[i]! : undefined
    const t = j < target.length ? target[j]! : undefined
    const name = t === undefined || (g !== undefined && g < t) ? g! : t
    const value = t === name ? target[j + 1]! : group[i + 1]!
    if (g === name) i += 2
    if (t === name) j += 2
    const seed = seeds.get(name)
    if (seed !== undefined && (value === seed || value === "")) continue
    H.update(h, name)
    H.update(h, value)
  }
  H.update(h, job)
  return H.finish(h)
}

export const relabelFiltered = (sc: ScrapeConfig): TargetFilter => {
  const job = sc.job_name
  const seeds = seedsOf(sc)
  const rules = sc.relabel_rules
  const filters = leadingFilters(rules)
  const seedValues = new Map(seeds.filter(([, v]) => v !== ""))
  if (filters === rules.length) {
    // Only filters: nothing is rewritten, and only the labels the filters read need looking up.
    let group: L.Labels = L.empty
    let own: L.Labels = L.empty
    const reader: LabelReader = {
      get: (name) => (name === disableSharding ? "true" : L.get(own, name) ?? L.get(group, name) ?? seedValues.get(name))
    }
    // A group's bounds of its `__meta_*` run, found once for all its targets, which come one after another.
    let groupMeta = 0
    let groupMetaEnd = 0
    return (groupLabels, targetLabels) => {
      if (groupLabels !== group) {
        group = groupLabels
        groupMeta = L.lowerBound(group, META_FROM)
        groupMetaEnd = L.lowerBound(group, META_TO)
      }
      own = targetLabels
      if (!passesFilters(reader, rules, filters)) return DROPPED
      return discoveredIdentity(job, groupLabels, groupMeta, groupMetaEnd, targetLabels, seedValues)
    }
  }
  // The discovered labels as the builder would hold them, read in place: merged labels have no empty values.
  let current: L.Labels = L.empty
  const reader: LabelReader = {
    get: (name) => (name === disableSharding ? "true" : L.get(current, name) || seedValues.get(name))
  }
  return (groupLabels, targetLabels) => {
    const labels = L.merge(groupLabels, targetLabels)
    current = labels
    if (!passesFilters(reader, rules, filters)) return DROPPED
    const lb = discoveredLabels(labels, seeds)
    // prometheus-operator's sharding keep rule reads this label; without SHARD set it must pass, as upstream.
    lb.set(disableSharding, "true")
    if (!process(lb, rules, filters)) return DROPPED
    lb.delete(disableSharding)
    return builderIdentity(job, lb, seedValues)
  }
}

export const filterFor = (sc: ScrapeConfig, filterStrategy: string): JobFilter => {
  if (filterStrategy !== filterStrategyRelabel) return { key: `unfiltered\u0000${sc.job_name}`, filter: unfiltered(sc.job_name) }
  const key = sortedJson({ seeds: seedsOf(sc).map(([n, v]) => [n, v]), rules: sc.relabel_configs.map(relabelDocument) }, "reveal")
  return { key: `relabel\u0000${sc.job_name}\u0000${key}`, filter: relabelFiltered(sc) }
}
