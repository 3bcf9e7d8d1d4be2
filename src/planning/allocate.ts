/**
 * `target-allocator allocate`: what the allocator would serve, computed once, by the same pipeline that serves
 * (discovered groups → relabel filtering → the strategy), for planning a fleet before running it.
 */
import * as Alloc from "../allocation/allocator.ts"
import type { Strategy } from "../allocation/strategy.ts"
import type { ScrapeConfig } from "../config/prometheus/scrapeConfig.ts"
import type { TargetGroup } from "../discovery/targetGroup.ts"
import type { Collector } from "../membership/collector.ts"
import * as Pipeline from "../pipeline/pipeline.ts"
import * as JT from "../targets/jobTargets.ts"
import * as Records from "../targets/records.ts"

export interface DiscoveredJob {
  readonly job: string
  readonly byProvider: ReadonlyArray<{ readonly provider: string; readonly groups: ReadonlyArray<TargetGroup> }>
}

/** collector → job → addresses, and job → addresses nobody got; everything sorted, so the output is stable. */
export interface AllocationPlan {
  readonly collectors: Record<string, Record<string, ReadonlyArray<string>>>
  readonly unassigned: Record<string, ReadonlyArray<string>>
}

/**
 * `N` names `collector-0` .. `collector-(N-1)`, as a StatefulSet names its pods; otherwise a comma-separated list,
 * each name optionally `name@node` for `per-node`. Undefined when the text is neither.
 */
export const parseCollectors = (text: string): ReadonlyArray<Collector> | undefined => {
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    return n > 0 && n <= 100_000 ? Array.from({ length: n }, (_, i) => ({ name: `collector-${i}`, node: "" })) : undefined
  }
  const parts = text.split(",").map((p) => p.trim())
  if (parts.some((p) => p === "" || p.startsWith("@"))) return undefined
  return parts.map((p) => {
    const at = p.indexOf("@")
    return at < 0 ? { name: p, node: "" } : { name: p.slice(0, at), node: p.slice(at + 1) }
  })
}

const sortedRecord = <V>(entries: Iterable<readonly [string, V]>): Record<string, V> =>
  Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export const planAllocation = (
  scrapeConfigs: ReadonlyArray<ScrapeConfig>,
  discovered: ReadonlyArray<DiscoveredJob>,
  collectors: ReadonlyArray<Collector>,
  strategy: Strategy,
  filterStrategy: string
): AllocationPlan => {
  const state = Pipeline.make(strategy, filterStrategy)
  Pipeline.apply(state, { _tag: "ConfigApplied", scrapeConfigs })
  for (const { job, byProvider } of discovered) {
    for (const { provider, groups } of byProvider) Pipeline.apply(state, { _tag: "TargetGroups", job, provider, groups })
  }
  Pipeline.apply(state, { _tag: "CollectorsChanged", collectors })
  Pipeline.publish(state)

  const served = new Map<string, Map<string, Array<string>>>(collectors.map((c) => [c.name, new Map()]))
  const unassigned = new Map<string, Array<string>>()
  for (const [job, entry] of state.jobs) {
    for (const slot of JT.slots(entry.targets)) {
      const collector = Alloc.collectorOf(state.alloc, slot)
      const byJob = collector === undefined ? unassigned : served.get(collector)!
      let addresses = byJob.get(job)
      if (addresses === undefined) byJob.set(job, (addresses = []))
      addresses.push(Records.served(state.alloc.records, slot)!.address)
    }
  }
  const sortedAddresses = (byJob: Map<string, Array<string>>) => sortedRecord([...byJob].map(([job, a]) => [job, a.sort()] as const))
  return {
    collectors: sortedRecord([...served].map(([c, byJob]) => [c, sortedAddresses(byJob)] as const)),
    unassigned: sortedAddresses(unassigned)
  }
}
