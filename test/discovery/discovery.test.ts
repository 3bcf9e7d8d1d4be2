import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Ref, Stream } from "effect"
import { TestClock } from "effect/testing"
import { ScrapeConfigSource } from "../../layers/config/ScrapeConfigSource.ts"
import { Discovery } from "../../layers/discovery/Discovery.ts"
import { DiscoveryError, type Provider } from "../../layers/discovery/Provider.ts"
import { Providers } from "../../layers/discovery/Providers.ts"
import type { PipelineEvent } from "../../src/pipeline/pipeline.ts"
import { loadConfig } from "../support/config.ts"
import { group } from "../support/targets.ts"

const configs = loadConfig(`
static_collectors: [c0]
config: {scrape_configs: [{job_name: flaky}]}
`).config.scrape_configs

// Lets forked fibers run up to their next suspension before the clock moves.
const settle = Effect.repeat(Effect.yieldNow, { times: 20 })

describe("the discovery manager", () => {
  it.effect("restarts a failing provider with backoff and never withdraws its last targets", () =>
    Effect.gen(function*() {
      const runs = yield* Ref.make(0)
      const provider: Provider = {
        job: "flaky",
        mechanism: "test_sd_configs",
        key: "test#1",
        updates: Stream.unwrap(Effect.gen(function*() {
          const n = yield* Ref.updateAndGet(runs, (x) => x + 1)
          return n === 1
            ? Stream.concat(Stream.succeed([group("0", ["a:1"])]), Stream.fail(new DiscoveryError({ mechanism: "test", job: "flaky", message: "boom" })))
            : Stream.concat(Stream.succeed([group("0", ["a:1", "b:1"])]), Stream.never)
        }))
      }
      const layer = Discovery.layer(0).pipe(Layer.provide([
        ScrapeConfigSource.fixed(configs),
        Layer.succeed(Providers, { of: () => [provider] })
      ]))
      const seen: Array<PipelineEvent> = []
      const discovery = Context.get(yield* Layer.build(layer), Discovery)
      const fiber = yield* discovery.events.pipe(Stream.runForEach((e) => Effect.sync(() => seen.push(e))), Effect.forkChild)
      yield* settle
      assert.strictEqual(yield* Ref.get(runs), 1)
      assert.deepStrictEqual(seen.map((e) => e._tag), ["ConfigApplied", "TargetGroups"])
      // The first restart waits about a second (jittered): not yet after 0.5s, certainly after 2s.
      yield* TestClock.adjust("500 millis")
      yield* settle
      assert.strictEqual(yield* Ref.get(runs), 1)
      yield* TestClock.adjust("1500 millis")
      yield* settle
      assert.strictEqual(yield* Ref.get(runs), 2)
      assert.deepStrictEqual(seen.map((e) => e._tag), ["ConfigApplied", "TargetGroups", "TargetGroups"])
      yield* Fiber.interrupt(fiber)
    }))
})
