/**
 * The whole allocation pipeline as one fold: events from configuration, discovery and membership in, served
 * documents out. Events are applied as they come (cheap, incremental); `publish` settles the allocation, publishes
 * the documents of the (job, collector) pairs that changed and returns the next immutable snapshot, whose documents
 * render when first polled.
 *
 * Mutable, owned by the single fiber that runs it.
 */
import * as Alloc from "../allocation/allocator.ts"
import { type Pair, published } from "../allocation/pair.ts"
import type { Strategy } from "../allocation/strategy.ts"
import { renderScrapeConfigs } from "../config/prometheus/render/scrapeConfigs.ts"
import type { ScrapeConfig } from "../config/prometheus/scrapeConfig.ts"
import type { TargetGroup } from "../discovery/targetGroup.ts"
import { renderJobs } from "../http/jobs.ts"
import type { Collector } from "../membership/collector.ts"
import { gzipSync } from "node:zlib"
import * as Doc from "../serving/httpSdDocument.ts"
import { bytes, type JobView, type Rendered, type Snapshot, initial } from "../serving/snapshot.ts"
import { filterFor } from "../targets/build.ts"
import * as JT from "../targets/jobTargets.ts"

const rendered = (text: string): Rendered => {
  const identity = bytes(text)
  return { identity, gzip: gzipSync(identity) }
}

export type PipelineEvent =
  | { readonly _tag: "ConfigApplied"; readonly scrapeConfigs: ReadonlyArray<ScrapeConfig> }
  | { readonly _tag: "TargetGroups"; readonly job: string; readonly provider: string; readonly groups: ReadonlyArray<TargetGroup> }
  | { readonly _tag: "ProviderStopped"; readonly job: string; readonly provider: string }
  | { readonly _tag: "CollectorsChanged"; readonly collectors: ReadonlyArray<Collector> }

interface JobEntry {
  readonly targets: JT.JobTargets
  filterKey: string
}

export interface PipelineState {
  /** `relabel-config` filters targets with the jobs' relabel rules; anything else serves them unfiltered. */
  readonly filterStrategy: string
  readonly jobs: Map<string, JobEntry>
  readonly alloc: Alloc.AllocationState
  configApplied: boolean
  collectorsKnown: boolean
  snapshot: Snapshot
  /** Since the last publish. */
  changes: Alloc.Changes
  scrapeConfigs: ReadonlyArray<ScrapeConfig> | undefined
  scrapeConfigsChanged: boolean
}

export const make = (strategy: Strategy, filterStrategy: string): PipelineState => {
  const alloc = Alloc.make(strategy)
  return {
    filterStrategy,
    jobs: new Map(),
    alloc,
    configApplied: false,
    collectorsKnown: false,
    snapshot: initial,
    changes: Alloc.emptyChanges(alloc),
    scrapeConfigs: undefined,
    scrapeConfigsChanged: false
  }
}

const applyDiff = (state: PipelineState, targets: JT.JobTargets, diff: JT.TargetDiff): void => {
  if (!JT.isEmptyDiff(diff)) Alloc.applyTargets(state.alloc, targets.job, diff, targets.ids, state.changes)
}

const applyConfig = (state: PipelineState, configs: ReadonlyArray<ScrapeConfig>): void => {
  const wanted = new Map(configs.map((sc) => [sc.job_name, sc]))
  for (const [job, entry] of state.jobs) {
    if (wanted.has(job)) continue
    const diff = JT.emptyDiff()
    JT.clear(entry.targets, diff)
    applyDiff(state, entry.targets, diff)
    state.jobs.delete(job)
  }
  for (const sc of configs) {
    const { filter, key } = filterFor(sc, state.filterStrategy)
    const entry = state.jobs.get(sc.job_name)
    if (entry === undefined) {
      state.jobs.set(sc.job_name, { targets: JT.make(sc.job_name, filter, state.alloc.records), filterKey: key })
    } else if (entry.filterKey !== key) {
      const diff = JT.emptyDiff()
      JT.refilter(entry.targets, filter, diff)
      entry.filterKey = key
      applyDiff(state, entry.targets, diff)
    }
  }
  state.scrapeConfigs = configs
  state.scrapeConfigsChanged = true
  state.configApplied = true
}

export const apply = (state: PipelineState, event: PipelineEvent): void => {
  switch (event._tag) {
    case "ConfigApplied":
      return applyConfig(state, event.scrapeConfigs)
    case "TargetGroups": {
      const entry = state.jobs.get(event.job)
      if (entry === undefined) return
      const diff = JT.emptyDiff()
      JT.applyGroups(entry.targets, event.provider, event.groups, diff)
      return applyDiff(state, entry.targets, diff)
    }
    case "ProviderStopped": {
      const entry = state.jobs.get(event.job)
      if (entry === undefined) return
      const diff = JT.emptyDiff()
      JT.removeProvider(entry.targets, event.provider, diff)
      return applyDiff(state, entry.targets, diff)
    }
    case "CollectorsChanged":
      state.collectorsKnown = true
      return Alloc.setCollectors(state.alloc, event.collectors, state.changes)
  }
}

/**
 * A job's documents with its changed pairs published again, in the order they changed: a pair that emptied comes
 * before one made again for the same collector.
 */
const publishPairs = (previous: ReadonlyMap<string, Doc.HttpSdBody> | undefined, changed: ReadonlyArray<Pair>): Map<string, Doc.HttpSdBody> => {
  const httpSd = new Map(previous)
  for (const pair of changed) {
    if (pair.slots.length === 0) httpSd.delete(pair.collector)
    else httpSd.set(pair.collector, Doc.publish(published(pair)))
  }
  return httpSd
}

/** Publishes what changed since the last publish and returns the new snapshot (the same one if nothing did). */
export const publish = (state: PipelineState): { readonly snapshot: Snapshot; readonly changes: Alloc.Changes } => {
  Alloc.settle(state.alloc, state.changes)
  const changes = state.changes
  state.changes = Alloc.emptyChanges(state.alloc)
  const prev = state.snapshot
  const ready = state.configApplied && state.collectorsKnown
  // A job appearing or disappearing (`jobSetChanged`) is targets added or removed (`targetsChanged`).
  const servedChanged = changes.changed.length > 0 || changes.targetsChanged
  const nothing = !servedChanged && !changes.collectorsChanged && !state.scrapeConfigsChanged && ready === prev.ready
  if (nothing) return { snapshot: prev, changes }
  let jobs: Map<string, JobView> | ReadonlyMap<string, JobView> = prev.jobs
  if (servedChanged) {
    const next = new Map(prev.jobs)
    for (const job of [...next.keys()]) if (!state.alloc.jobs.has(job)) next.delete(job)
    const changedByJob = Map.groupBy(changes.changed, (pair) => pair.job)
    for (const [job, ids] of state.alloc.jobs) {
      const changed = changedByJob.get(job)
      const view = next.get(job)
      if (changed !== undefined || view === undefined) next.set(job, { targets: ids.size, httpSd: publishPairs(view?.httpSd, changed ?? []) })
      else if (view.targets !== ids.size) next.set(job, { ...view, targets: ids.size })
    }
    jobs = next
  }
  const scrapeConfigs = state.scrapeConfigsChanged && state.scrapeConfigs !== undefined
    ? {
      redacted: rendered(renderScrapeConfigs(state.scrapeConfigs, "redact")),
      revealed: rendered(renderScrapeConfigs(state.scrapeConfigs, "reveal")),
      jobCount: state.scrapeConfigs.length
    }
    : prev.scrapeConfigs
  state.scrapeConfigsChanged = false
  const snapshot: Snapshot = {
    ready,
    collectors: state.alloc.collectors,
    jobs,
    jobsBody: changes.jobSetChanged ? bytes(renderJobs([...jobs.keys()])) : prev.jobsBody,
    scrapeConfigs
  }
  state.snapshot = snapshot
  return { snapshot, changes }
}
