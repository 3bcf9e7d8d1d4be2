import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import { Forbidden, Unreachable } from "../../layers/kubernetes/errors.ts"
import { makeMemoryCluster } from "../../layers/kubernetes/memory.ts"
import { reflect, type ReflectorEvent } from "../../layers/kubernetes/reflector.ts"
import type { Pod } from "../../src/kubernetes/objects.ts"
import { pods } from "../../src/kubernetes/resource.ts"

const settle = Effect.repeat(Effect.yieldNow, { times: 30 })
const pod = (name: string, labels: Record<string, string> = { app: "otel" }, extra: Partial<Pod> = {}): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "otel", labels }, ...extra })

/** Runs the reflector on pods in namespace otel with `app=otel`, recording what it emits. */
const start = (cluster: ReturnType<typeof makeMemoryCluster>) =>
  Effect.gen(function*() {
    const seen: Array<ReflectorEvent> = []
    const fiber = yield* reflect(pods, { namespace: "otel", labelSelector: "app=otel" }).pipe(
      Stream.runForEach((e) => Effect.sync(() => seen.push(e))),
      Effect.provide(cluster.layer),
      Effect.forkChild
    )
    yield* settle
    return { seen, fiber }
  })

const names = (events: ReadonlyArray<ReflectorEvent>) =>
  events.map((e) => (e._tag === "Upserted" || e._tag === "Deleted" ? `${e._tag}:${e.object.metadata.name}` : e._tag))

describe("the reflector", () => {
  it.effect("lists, then follows additions, updates and deletions, within its selection", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("a"))
      cluster.apply(pods, pod("other", { app: "x" }))
      const { seen, fiber } = yield* start(cluster)
      assert.deepStrictEqual(names(seen), ["Upserted:a", "Synced"])
      cluster.apply(pods, pod("b"))
      cluster.apply(pods, pod("a", { app: "otel", v: "2" }))
      cluster.remove(pods, "otel", "b")
      yield* settle
      assert.deepStrictEqual(names(seen).slice(2), ["Upserted:b", "Upserted:a", "Deleted:b"])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("resumes a dropped watch from its resourceVersion: nothing missed, nothing listed again", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("a"))
      const { seen, fiber } = yield* start(cluster)
      cluster.closeWatches()
      cluster.apply(pods, pod("b")) // while no watch is open
      yield* settle
      // A watch that ended without a single event is resumed after a pause, so a server ending them at once
      // cannot make us spin.
      yield* TestClock.adjust("1 second")
      yield* settle
      assert.deepStrictEqual(names(seen), ["Upserted:a", "Synced", "Upserted:b"])
      assert.strictEqual(cluster.calls.list, 1)
      assert.strictEqual(cluster.openWatches(), 1)
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("relists on 410 Gone and reports what was deleted during the gap", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("a"))
      cluster.apply(pods, pod("b"))
      const { seen, fiber } = yield* start(cluster)
      cluster.setReachable(false)
      cluster.remove(pods, "otel", "a")
      cluster.apply(pods, pod("c"))
      cluster.compact()
      cluster.setReachable(true)
      yield* settle
      yield* TestClock.adjust("2 seconds")
      yield* settle
      assert.strictEqual(cluster.calls.list, 2)
      const after = names(seen).slice(names(seen).indexOf("Failed") + 1)
      // Pages pass on as they come; what the complete list lacks is deleted at its end.
      assert.deepStrictEqual(after, ["Upserted:c", "Deleted:a", "Synced"])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("retries an unreachable server with capped exponential backoff and jitter, then recovers", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("a"))
      cluster.setReachable(false)
      const { seen, fiber } = yield* start(cluster)
      const delays = () => seen.flatMap((e) => (e._tag === "Failed" ? [e.retryInMs] : []))
      for (let i = 0; i < 7; i++) {
        yield* TestClock.adjust("40 seconds")
        yield* settle
      }
      const d = delays()
      assert.isTrue(d.length >= 7)
      const bases = [1000, 2000, 4000, 8000, 16000, 30000, 30000]
      bases.forEach((base, i) => assert.isTrue(d[i]! >= base * 0.8 && d[i]! <= base * 1.2, `retry ${i}: ${d[i]} around ${base}`))
      assert.isTrue(seen.every((e) => e._tag !== "Failed" || e.error instanceof Unreachable))
      cluster.setReachable(true)
      yield* TestClock.adjust("40 seconds")
      yield* settle
      assert.deepStrictEqual(names(seen).filter((n) => n !== "Failed"), ["Upserted:a", "Synced"])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("reports Forbidden with the verb and resource, and keeps trying", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.failNext("list", new Forbidden({ verb: "list", resource: "pods in namespace \"otel\"", message: "not allowed to list pods" }))
      const { seen, fiber } = yield* start(cluster)
      const failed = seen.find((e) => e._tag === "Failed")
      assert.isTrue(failed !== undefined && failed._tag === "Failed" && failed.error._tag === "Forbidden")
      yield* TestClock.adjust("2 seconds")
      yield* settle
      assert.deepStrictEqual(names(seen), ["Failed", "Synced"])
      yield* Fiber.interrupt(fiber)
    }))
})

