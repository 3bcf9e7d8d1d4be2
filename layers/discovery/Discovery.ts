/**
 * The discovery manager: runs one provider per (job, SD config) of the current scrape configs and turns their
 * output into pipeline events. A provider whose config did not change keeps running across a config change; a
 * failing provider is logged and restarted with backoff while its last good targets stay in place.
 */
import { Context, Effect, FiberMap, Layer, Queue, Schedule, Stream } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import type { PipelineEvent } from "../../src/pipeline/pipeline.ts"
import { ScrapeConfigSource } from "../config/ScrapeConfigSource.ts"
import type { Provider } from "./Provider.ts"
import { Providers } from "./Providers.ts"

export class Discovery extends Context.Service<Discovery, {
  /** `ConfigApplied` for every scrape-config change, then the target groups of its providers. */
  readonly events: Stream.Stream<PipelineEvent>
}>()("target-allocator/Discovery") {
  static readonly layer = Layer.effect(
    Discovery,
    Effect.gen(function*() {
      const source = yield* ScrapeConfigSource
      const providers = yield* Providers
      return { events: Stream.callback<PipelineEvent>((queue) => manage(source.changes, providers.of, queue)) }
    })
  )
}

const restart = Schedule.min([Schedule.exponential("1 second", 2), Schedule.spaced("1 minute")]).pipe(Schedule.jittered)

const run = (p: Provider, queue: Queue.Queue<PipelineEvent, any>) =>
  p.updates.pipe(
    Stream.runForEach((groups) => Queue.offer(queue, { _tag: "TargetGroups", job: p.job, provider: p.key, groups })),
    Effect.tapError((e) => Effect.logError(`discovery failed for job ${JSON.stringify(p.job)} (${p.mechanism}): ${e.message}; keeping its last targets`)),
    Effect.retry(restart)
  )

const manage = (
  changes: Stream.Stream<ReadonlyArray<ScrapeConfig>>,
  providersOf: (sc: ScrapeConfig) => ReadonlyArray<Provider>,
  queue: Queue.Queue<PipelineEvent, any>
) =>
  Effect.gen(function*() {
    const running = yield* FiberMap.make<string>()
    const active = new Map<string, Provider>()
    yield* changes.pipe(
      Stream.runForEach((configs) =>
        Effect.gen(function*() {
          yield* Queue.offer(queue, { _tag: "ConfigApplied", scrapeConfigs: configs })
          const wanted = new Map(configs.flatMap(providersOf).map((p) => [`${p.job}\u0000${p.key}`, p]))
          for (const [id, p] of active) {
            if (wanted.has(id)) continue
            yield* FiberMap.remove(running, id)
            active.delete(id)
            yield* Queue.offer(queue, { _tag: "ProviderStopped", job: p.job, provider: p.key })
          }
          for (const [id, p] of wanted) {
            if (active.has(id)) continue
            active.set(id, p)
            yield* FiberMap.run(running, id, run(p, queue))
          }
        })
      ),
      Effect.forkScoped
    )
  })
