/**
 * Where scrape configs come from, as a stream of complete job lists. The file gives one list and never changes
 * (as upstream, a changed file means a restart); the Prometheus CR watcher will emit a list per change.
 */
import { Context, Effect, Layer, Stream } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import { AllocatorConfig } from "./AllocatorConfig.ts"

export class ScrapeConfigSource extends Context.Service<ScrapeConfigSource, {
  readonly changes: Stream.Stream<ReadonlyArray<ScrapeConfig>>
}>()("target-allocator/ScrapeConfigSource") {
  static readonly fromFile = Layer.effect(
    ScrapeConfigSource,
    Effect.gen(function*() {
      const config = yield* AllocatorConfig
      return { changes: Stream.concat(Stream.succeed(config.config.scrape_configs), Stream.never) }
    })
  )

  static readonly fixed = (configs: ReadonlyArray<ScrapeConfig>) =>
    Layer.succeed(ScrapeConfigSource, { changes: Stream.concat(Stream.succeed(configs), Stream.never) })
}
