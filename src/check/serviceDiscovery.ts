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
import { goString, JsonBytes, utf8 } from "./goJson.ts"

/** A target's labels before and after relabeling, as promtool prints them (records, names sorted). */
export interface SdCheckResult {
  readonly discoveredLabels: Readonly<Record<string, string>>
  /** `{}` when relabeling dropped the target or it is invalid. */
  readonly labels: Readonly<Record<string, string>>
  readonly error?: string
}

/**
 * The same, as flat `[name0, value0, ...]` arrays sorted by name: what the command renders, with no record made per
 * target. Unlike `Labels`, empty values are kept (a discovered label may have one, and promtool prints it).
 */
export interface SdCheckTarget {
  /** The discovered `__address__`, "" when there is none. */
  readonly address: string
  readonly discovered: ReadonlyArray<string>
  /** Empty when relabeling dropped the target or it is invalid. */
  readonly labels: ReadonlyArray<string>
  readonly error?: string
}

/**
 * What `discoveredLabels` holds, sorted: the merged labels, and each seed (sorted, no empty value) where they have
 * no value or an empty one.
 */
const withSeeds = (merged: L.Labels, seeds: ReadonlyArray<string>): Array<string> => {
  const out: Array<string> = []
  let i = 0
  let j = 0
  while (i < merged.length && j < seeds.length) {
    const a = merged[i]!
    const b = seeds[j]!
    if (a < b) {
      out.push(a, merged[i + 1]!)
      i += 2
    } else if (b < a) {
      out.push(b, seeds[j + 1]!)
      j += 2
    } else {
      out.push(a, merged[i + 1] === "" ? seeds[j + 1]! : merged[i + 1]!)
      i += 2
      j += 2
    }
  }
  for (; i < merged.length; i++) out.push(merged[i]!)
  for (; j < seeds.length; j++) out.push(seeds[j]!)
  return out
}

/**
 * The builder's labels sorted by name, by insertion: a builder holds the discovered labels in order with the few
 * that seeding and relabeling added at the end, so little moves.
 */
const sortedPairs = (lb: LabelBuilder): Array<string> => {
  const out: Array<string> = []
  lb.forEach((value, name) => {
    let at = out.length
    out.push(name, value)
    while (at > 0 && out[at - 2]! > name) {
      out[at] = out[at - 2]!
      out[at + 1] = out[at - 1]!
      at -= 2
    }
    out[at] = name
    out[at + 1] = value
  })
  return out
}

const histogramLabels: ReadonlyArray<readonly [string, string]> = [
  ["__convert_classic_histograms_to_nhcb__", "convert classic histograms to nhcb"],
  ["__always_scrape_classic_histograms__", "always scrape classic histograms"],
  ["__scrape_native_histograms__", "scrape native histograms"]
]
const goBools = new Set(["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"])

/** `parse`, remembering its last answer: a job's targets nearly always share one interval and one timeout. */
const lastOf = <A>(parse: (text: string) => A) => {
  let lastText: string | undefined
  let last: A
  return (text: string): A => {
    if (text !== lastText) {
      last = parse(text)
      lastText = text
    }
    return last
  }
}

type Populated = { readonly labels: LabelBuilder | undefined; readonly error?: string }

/** What Prometheus keeps of a discovered target of the job after relabeling, or why it refuses it. */
const populator = (sc: ScrapeConfig): (lb: LabelBuilder) => Populated => {
  const intervalOf = lastOf(parsePrometheusDuration)
  const timeoutOf = lastOf(parsePrometheusDuration)
  return (lb) => {
    if (!process(lb, sc.relabel_rules)) return { labels: undefined }
    const address = lb.get("__address__") ?? ""
    if (address === "") return { labels: undefined, error: "no address" }
    if (address.includes("/")) return { labels: undefined, error: `${JSON.stringify(address)} is not a valid hostname` }
    const interval = lb.get("__scrape_interval__") ?? ""
    const intervalMs = intervalOf(interval)
    if (intervalMs === undefined) return { labels: undefined, error: `error parsing scrape interval: not a valid duration string: ${JSON.stringify(interval)}` }
    if (intervalMs === 0) return { labels: undefined, error: "scrape interval cannot be 0" }
    const timeout = lb.get("__scrape_timeout__") ?? ""
    const timeoutMs = timeoutOf(timeout)
    if (timeoutMs === undefined) return { labels: undefined, error: `error parsing scrape timeout: not a valid duration string: ${JSON.stringify(timeout)}` }
    if (timeoutMs === 0) return { labels: undefined, error: "scrape timeout cannot be 0" }
    if (timeoutMs > intervalMs) {
      return { labels: undefined, error: `scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})` }
    }
    for (const [name, desc] of histogramLabels) {
      const v = lb.get(name)
      if (v !== undefined && !goBools.has(v)) return { labels: undefined, error: `error parsing ${desc}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax` }
    }
    // A Map may lose entries while it is iterated: no copy of the names needed.
    for (const name of lb.keys()) if (name.startsWith("__meta_")) lb.delete(name)
    if ((lb.get("instance") ?? "") === "") lb.set("instance", address)
    for (const value of lb.values()) {
      if (!isValidLabelValue(value)) {
        const name = [...lb].find(([, v]) => v === value)![0]
        return { labels: undefined, error: `invalid label value for ${JSON.stringify(name)}: ${JSON.stringify(value)}` }
      }
    }
    return { labels: lb }
  }
}


/**
 * The results source by source, as promtool groups them (all groups of one source together, equal results of a
 * source once). A generator, so a hundred thousand targets can be printed as they are computed.
 */
export function* sdCheckTargets(sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): Generator<SdCheckTarget> {
  const seeds = seedsOf(sc)
  const populateLabels = populator(sc)
  const sortedSeeds = L.fromRecord(Object.fromEntries(seeds))
  const bySource = Map.groupBy(groups, (g) => g.source)
  for (const ofSource of bySource.values()) {
    // A target's result follows from its discovered labels alone, so equal results are equal discovered labels,
    // which are told apart by address first: no key is built per target.
    const seen = new Map<string, Array<ReadonlyArray<string>>>()
    for (const group of ofSource) {
      for (const target of group.targets) {
        const merged = L.merge(group.labels, target)
        const discovered = withSeeds(merged, sortedSeeds)
        const address = L.get(merged, "__address__") ?? ""
        const same = seen.get(address)
        if (same === undefined) seen.set(address, [discovered])
        else if (same.some((d) => L.equals(d, discovered))) continue
        else same.push(discovered)
        const { labels, error } = populateLabels(discoveredLabels(merged, seeds))
        yield { address, discovered, labels: labels === undefined ? [] : sortedPairs(labels), ...(error === undefined ? {} : { error }) }
      }
    }
  }
}

export const checkServiceDiscovery = (sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): ReadonlyArray<SdCheckResult> =>
  [...sdCheckTargets(sc, groups)].map((t) => ({
    discoveredLabels: L.toRecord(t.discovered),
    labels: L.toRecord(t.labels),
    ...(t.error === undefined ? {} : { error: t.error })
  }))

const bytes = {
  firstElement: utf8(`\n  {\n    "discoveredLabels": `),
  nextElement: utf8(`,\n  {\n    "discoveredLabels": `),
  labels: utf8(`,\n    "labels": `),
  error: utf8(`,\n    "error": {}`),
  endElement: utf8("\n  }"),
  emptyObject: utf8("{}"),
  closeObject: utf8("\n    }"),
  emptyArrayEnd: utf8("]\n"),
  arrayEnd: utf8("\n]\n")
}

/**
 * promtool's output, `json.MarshalIndent(results, "", "  ")`, as UTF-8 written as the targets come: `target` each,
 * `end` once, and `take` the bytes so far whenever it suits. A target's error prints as `{}`, Go's JSON of an
 * error value.
 */
export const sdCheckJsonWriter = () => {
  const out = new JsonBytes()
  // Each label name's line start, made once: a few dozen names recur in every target. As an object's first field,
  // `{\n      "<name>": `, the object's opening with it; as another, `,\n      "<name>": `.
  const nameLines = new Map<string, { readonly first: Uint8Array; readonly next: Uint8Array }>()
  let count = 0
  const labels = (pairs: ReadonlyArray<string>): void => {
    if (pairs.length === 0) return out.bytes(bytes.emptyObject)
    for (let i = 0; i < pairs.length; i += 2) {
      const name = pairs[i]!
      let line = nameLines.get(name)
      if (line === undefined) {
        const quoted = goString(name)
        nameLines.set(name, line = { first: utf8(`{\n      ${quoted}: `), next: utf8(`,\n      ${quoted}: `) })
      }
      out.bytes(i === 0 ? line.first : line.next)
      out.string(pairs[i + 1]!)
    }
    out.bytes(bytes.closeObject)
  }
  out.bytes(utf8("["))
  return {
    target: (t: SdCheckTarget): void => {
      out.bytes(count++ === 0 ? bytes.firstElement : bytes.nextElement)
      labels(t.discovered)
      out.bytes(bytes.labels)
      labels(t.labels)
      if (t.error !== undefined) out.bytes(bytes.error)
      out.bytes(bytes.endElement)
    },
    end: (): void => out.bytes(count === 0 ? bytes.emptyArrayEnd : bytes.arrayEnd),
    /** How many bytes are waiting to be taken. */
    size: (): number => out.length,
    take: (): Uint8Array => out.take()
  }
}

/**
 * What `promtool check config` adds to the config checks: every static target run through relabeling, the first
 * target Prometheus could not scrape reported as `instance <i> in group <source>: <why>`.
 */
export const staticTargetError = (sc: ScrapeConfig, groups: ReadonlyArray<TargetGroup>): string | undefined => {
  const seeds = seedsOf(sc)
  const populateLabels = populator(sc)
  for (const group of groups) {
    for (const [i, target] of group.targets.entries()) {
      const { error } = populateLabels(discoveredLabels(L.merge(group.labels, target), seeds))
      if (error !== undefined) return `instance ${i} in group ${group.source}: ${error}`
    }
  }
  return undefined
}
