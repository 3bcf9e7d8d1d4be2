/**
 * The discovery manager: runs one provider per (job, SD config) of the current scrape configs and turns their
 * output into pipeline events. A provider whose config did not change keeps running across a config change; a
 * failing provider is logged and restarted with backoff while its last good targets stay in place.
 *
 * Updates are coalesced as Prometheus's discovery manager does: within a window, only the latest group of each
 * source is kept, and they go to allocation together. A provider's first update is not held back, so targets are
 * served as soon as discovery has them.
 */
import { Context, Duration, Effect, FiberMap, Layer, Queue, Schedule, Stream } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import type { PipelineEvent } from "../../src/pipeline/pipeline.ts"
import { ScrapeConfigSource } from "../config/ScrapeConfigSource.ts"
import type { Provider } from "./Provider.ts"
import { Providers } from "./Providers.ts"

export class Discovery extends Context.Service<Discovery, {
  /** `ConfigApplied` for every scrape-config change, then the target groups of its providers. */
  readonly events: Stream.Stream<PipelineEvent>
}>()("target-allocator/Discovery") {
  /** `coalesce`: the window over which updates are merged (upstream: 5 seconds); 0 passes every update at once. */
  static readonly layer = (coalesce: Duration.Input = "5 seconds") =>
    Layer.effect(
      Discovery,
      Effect.gen(function*() {
        const source = yield* ScrapeConfigSource
        const providers = yield* Providers
        const window = Duration.toMillis(Duration.fromInputUnsafe(coalesce))
        return { events: Stream.callback<PipelineEvent>((queue) => manage(source.changes, providers.of, queue, window)) }
      })
    )
}

const restart = Schedule.min([Schedule.exponential("1 second", 2), Schedule.spaced("1 minute")]).pipe(Schedule.jittered)

/** The latest group of each source, per (job, provider), waiting for the end of the window. */
class Pending {
  readonly byProvider = new Map<string, { readonly job: string; readonly provider: string; readonly groups: Map<string, TargetGroup> }>()
  scheduled = false
  add(job: string, provider: string, groups: ReadonlyArray<TargetGroup>) {
    const id = `${job}\u0000${provider}`
    let entry = this.byProvider.get(id)
    if (entry === undefined) this.byProvider.set(id, (entry = { job, provider, groups: new Map() }))
    for (const g of groups) entry.groups.set(g.source, g)
  }
  drop(job: string, provider: string) {
    this.byProvider.delete(`${job}\u0000${provider}`)
  }
  /** The buffered updates as events, emptying the buffer. */
  take(): ReadonlyArray<PipelineEvent> {
    const events: Array<PipelineEvent> = []
    for (const { job, provider, groups } of this.byProvider.values()) events.push({ _tag: "TargetGroups", job, provider, groups: [...groups.values()] })
    this.byProvider.clear()
    return events
  }
}

const manage = (
  changes: Stream.Stream<ReadonlyArray<ScrapeConfig>>,
  providersOf: (sc: ScrapeConfig) => ReadonlyArray<Provider>,
  queue: Queue.Queue<PipelineEvent, any>,
  windowMs: number
) =>
  Effect.gen(function*() {
    const running = yield* FiberMap.make<string>()
    const active = new Map<string, Provider>()
    const pending = new Pending()
    const flush = Effect.sync(() => Queue.offerAllUnsafe(queue, pending.take()))

    const deliver = (p: Provider, first: boolean, groups: ReadonlyArray<TargetGroup>) =>
      Effect.gen(function*() {
        if (first || windowMs === 0) return yield* Queue.offer(queue, { _tag: "TargetGroups", job: p.job, provider: p.key, groups })
        pending.add(p.job, p.key, groups)
        if (pending.scheduled) return
        pending.scheduled = true
        yield* Effect.sleep(windowMs).pipe(
          Effect.andThen(Effect.sync(() => void (pending.scheduled = false))),
          Effect.andThen(flush),
          Effect.forkDetach
        )
      })

    const run = (p: Provider) => {
      let first = true
      return p.updates.pipe(
        Stream.runForEach((groups) => Effect.suspend(() => {
          const wasFirst = first
          first = false
          return deliver(p, wasFirst, groups)
        })),
        Effect.tapError((e) => Effect.logError(`discovery failed for job ${JSON.stringify(p.job)} (${p.mechanism}): ${e.message}; keeping its last targets`)),
        Effect.retry(restart)
      )
    }

    yield* changes.pipe(
      Stream.runForEach((configs) =>
        Effect.gen(function*() {
          // Whatever was discovered under the old config is applied before the new config.
          yield* flush
          yield* Queue.offer(queue, { _tag: "ConfigApplied", scrapeConfigs: configs })
          const wanted = new Map(configs.flatMap(providersOf).map((p) => [`${p.job}\u0000${p.key}`, p]))
          for (const [id, p] of active) {
            if (wanted.has(id)) continue
            yield* FiberMap.remove(running, id)
            active.delete(id)
            pending.drop(p.job, p.key)
            yield* Queue.offer(queue, { _tag: "ProviderStopped", job: p.job, provider: p.key })
          }
          for (const [id, p] of wanted) {
            if (active.has(id)) continue
            active.set(id, p)
            yield* FiberMap.run(running, id, run(p))
          }
        })
      ),
      Effect.forkScoped
    )
  })
