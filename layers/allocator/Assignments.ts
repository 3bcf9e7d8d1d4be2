/**
 * The allocator: folds configuration, discovery and membership events into the current assignment, published as
 * a `SubscriptionRef` of snapshots that the HTTP layer reads and nothing else writes.
 */
import { Context, Effect, Layer, Metric, Stream, SubscriptionRef } from "effect"
import { type Changes, targetCount, totalOf } from "../../src/allocation/allocator.ts"
import { strategyFor } from "../../src/allocation/strategies.ts"
import * as Pipeline from "../../src/pipeline/pipeline.ts"
import { initial, type Snapshot } from "../../src/serving/snapshot.ts"
import { AllocatorConfig } from "../config/AllocatorConfig.ts"
import { Discovery } from "../discovery/Discovery.ts"
import { Membership } from "../membership/Membership.ts"
import * as M from "../telemetry/metrics.ts"

export class Assignments extends Context.Service<Assignments, {
  readonly current: SubscriptionRef.SubscriptionRef<Snapshot>
}>()("target-allocator/Assignments") {
  static readonly layer = Layer.effect(
    Assignments,
    Effect.gen(function*() {
      const config = yield* AllocatorConfig
      const discovery = yield* Discovery
      const membership = yield* Membership
      const strategy = strategyFor(config.allocation_strategy, config.allocation_fallback_strategy)
      const current = yield* SubscriptionRef.make(initial)
      const state = Pipeline.make(strategy, config.filter_strategy)
      const metrics = metricsRecorder(strategy.name)
      const events = Stream.merge(
        discovery.events,
        membership.changes.pipe(Stream.map((collectors): Pipeline.PipelineEvent => ({ _tag: "CollectorsChanged", collectors })))
      )
      // Each batch of events that arrived together is applied in full, then published once.
      const step = (batch: ReadonlyArray<Pipeline.PipelineEvent>) =>
        Effect.gen(function*() {
          const started = performance.now()
          for (const e of batch) Pipeline.apply(state, e)
          const processed = performance.now()
          if (batch.some((e) => e._tag === "TargetGroups")) yield* Metric.update(M.processTargetsDuration, (processed - started) / 1000)
          const previous = state.snapshot
          const { changes, snapshot } = Pipeline.publish(state)
          const seconds = (performance.now() - processed) / 1000
          if (snapshot === previous) return
          yield* SubscriptionRef.set(current, snapshot)
          const method = batch.some((e) => e._tag === "CollectorsChanged") ? "SetCollectors" : "SetTargets"
          yield* metrics(state, changes, previous, method, seconds)
        })
      yield* events.pipe(Stream.runForEachArray(step), Effect.forkScoped)
      return { current }
    })
  )
}

const metricsRecorder = (strategy: string) => {
  const jobsReported = new Set<string>()
  return (state: Pipeline.PipelineState, changes: Changes, previous: Snapshot, method: string, seconds: number) =>
    Effect.gen(function*() {
      const alloc = state.alloc
      yield* Metric.update(Metric.withAttributes(M.timeToAllocate, { method, strategy }), seconds)
      if (changes.collectorsChanged) {
        yield* Metric.update(Metric.withAttributes(M.collectorsAllocatable, { strategy }), alloc.collectors.length)
        yield* Metric.update(M.collectorsDiscovered, alloc.collectors.length)
        const live = new Set(alloc.collectors.map((c) => c.name))
        for (const c of previous.collectors) {
          if (!live.has(c.name)) yield* Metric.update(Metric.withAttributes(M.targetsPerCollector, { collector_name: c.name, strategy }), 0)
        }
      }
      const touched = new Set<string>()
      for (const pair of changes.changed) touched.add(pair.collector)
      if (changes.collectorsChanged) for (const c of alloc.collectors) touched.add(c.name)
      for (const c of touched) {
        yield* Metric.update(Metric.withAttributes(M.targetsPerCollector, { collector_name: c, strategy }), totalOf(alloc, c))
      }
      yield* Metric.update(M.targetsRemaining, targetCount(alloc))
      yield* Metric.update(M.targetsUnassigned, alloc.unassigned)
      for (const job of jobsReported) {
        if (!state.jobs.has(job)) yield* Metric.update(Metric.withAttributes(M.targetsPerJob, { job_name: job }), 0)
      }
      jobsReported.clear()
      for (const [job, entry] of state.jobs) {
        jobsReported.add(job)
        yield* Metric.update(Metric.withAttributes(M.targetsPerJob, { job_name: job }), entry.targets.discovered)
      }
      if (changes.moved > 0) yield* Metric.update(M.targetsMoved, changes.moved)
    })
}
