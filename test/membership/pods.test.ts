import { assert, describe, it } from "@effect/vitest"
import { Clock, type Duration, Effect, Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import { makeMemoryCluster } from "../../layers/kubernetes/memory.ts"
import { podMembership } from "../../layers/membership/kubernetes.ts"
import type { Pod } from "../../src/kubernetes/objects.ts"
import { pods } from "../../src/kubernetes/resource.ts"
import type { Collector } from "../../src/membership/collector.ts"
import { collectorsFrom } from "../../src/membership/pods.ts"

const settle = Effect.repeat(Effect.yieldNow, { times: 40 })
const iso = (ms: number) => new Date(ms).toISOString()

interface PodState {
  readonly node?: string
  readonly phase?: string
  readonly ready?: boolean
  /** When the phase / Ready condition last changed (test clock millis). */
  readonly since?: number
  readonly deleting?: boolean
  readonly labels?: Record<string, string>
}

const pod = (name: string, s: PodState = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "otel",
    labels: s.labels ?? { app: "collector" },
    ...(s.deleting ? { deletionTimestamp: iso(0) } : {})
  },
  spec: s.node === "" ? {} : { nodeName: s.node ?? "node-1" },
  status: {
    phase: s.phase ?? "Running",
    startTime: iso(s.since ?? 0),
    conditions: [{ type: "Ready", status: s.ready === false ? "False" : "True", lastTransitionTime: iso(s.since ?? 0) }]
  }
})

const names = (cs: ReadonlyArray<Collector> | undefined) => (cs ?? []).map((c) => c.name)

const watch = (cluster: ReturnType<typeof makeMemoryCluster>, options: { graceMs?: number; selector?: Parameters<typeof podMembership>[0]["selector"] } = {}) =>
  Effect.gen(function*() {
    const sets: Array<ReadonlyArray<Collector>> = []
    const fiber = yield* podMembership({
      namespace: "otel",
      selector: options.selector ?? { matchLabels: { app: "collector" }, matchExpressions: [] },
      graceMs: options.graceMs ?? 30_000
    }).pipe(Stream.runForEach((s) => Effect.sync(() => sets.push(s))), Effect.provide(cluster.layer), Effect.forkChild)
    yield* settle
    return { sets, fiber }
  })

// Events are delivered on the next scheduler turns: let them land before time moves.
const tick = (d: Duration.Input) => settle.pipe(Effect.andThen(TestClock.adjust(d)), Effect.andThen(settle))

describe("collector membership from pods", () => {
  it.effect("starts from the listed pods: scheduled ones only, matching the selector", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("c-0"))
      cluster.apply(pods, pod("c-1", { node: "node-2" }))
      cluster.apply(pods, pod("pending", { node: "" }))
      cluster.apply(pods, pod("not-a-collector", { labels: { app: "web" } }))
      const { sets, fiber } = yield* watch(cluster)
      assert.deepStrictEqual(sets, [[{ name: "c-0", node: "node-1" }, { name: "c-1", node: "node-2" }]])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("coalesces a rollout: pods replaced one by one within a window give one new set", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      for (const n of ["c-0", "c-1", "c-2"]) cluster.apply(pods, pod(n))
      const { sets, fiber } = yield* watch(cluster)
      for (const n of ["c-0", "c-1", "c-2"]) {
        cluster.remove(pods, "otel", n)
        cluster.apply(pods, pod(`${n}-new`))
        yield* tick("1 second")
      }
      yield* tick("5 seconds")
      assert.deepStrictEqual(sets.map(names), [["c-0", "c-1", "c-2"], ["c-0-new", "c-1-new", "c-2-new"]])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("takes out a pod that stays not ready once its grace period ends, with no further event", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("c-0"))
      cluster.apply(pods, pod("c-1"))
      const { sets, fiber } = yield* watch(cluster, { graceMs: 30_000 })
      const now = yield* Clock.currentTimeMillis
      cluster.apply(pods, pod("c-1", { ready: false, since: now }))
      yield* tick("5 seconds")
      assert.deepStrictEqual(sets.map(names), [["c-0", "c-1"]]) // within its grace period: still a collector
      yield* tick("20 seconds")
      assert.strictEqual(sets.length, 1)
      yield* tick("6 seconds") // 31 s after it went unready
      assert.deepStrictEqual(sets.map(names), [["c-0", "c-1"], ["c-0"]])
      cluster.apply(pods, pod("c-1", { ready: true, since: yield* Clock.currentTimeMillis }))
      yield* tick("5 seconds")
      assert.deepStrictEqual(names(sets.at(-1)), ["c-0", "c-1"])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("takes out a terminating pod at once, and notices a pod moving to another node", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("c-0"))
      cluster.apply(pods, pod("c-1"))
      const { sets, fiber } = yield* watch(cluster)
      cluster.apply(pods, pod("c-1", { deleting: true }))
      cluster.apply(pods, pod("c-0", { node: "node-9" }))
      yield* tick("5 seconds")
      assert.deepStrictEqual(sets.at(-1), [{ name: "c-0", node: "node-9" }])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("selects with matchExpressions", () =>
    Effect.gen(function*() {
      const cluster = makeMemoryCluster()
      cluster.apply(pods, pod("a", { labels: { app: "collector", tier: "gold" } }))
      cluster.apply(pods, pod("b", { labels: { app: "collector", tier: "bronze" } }))
      cluster.apply(pods, pod("c", { labels: { app: "collector" } }))
      const { sets, fiber } = yield* watch(cluster, {
        selector: { matchLabels: {}, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["bronze"] }, { key: "app", operator: "Exists", values: [] }] }
      })
      assert.deepStrictEqual(sets.map(names), [["a", "c"]])
      yield* Fiber.interrupt(fiber)
    }))
})

describe("the membership rules", () => {
  it("keep an unhealthy pod for exactly its grace period, and say when it will leave", () => {
    const p = pod("x", { phase: "Pending", ready: false, since: 1_000 })
    assert.deepStrictEqual(collectorsFrom([p], 31_000, 30_000), { collectors: [{ name: "x", node: "node-1" }], nextChangeAt: 31_001 })
    assert.deepStrictEqual(collectorsFrom([p], 31_001, 30_000).collectors, [])
  })
  it("apply no health rule with a grace period of 0", () => {
    const p = pod("x", { phase: "Failed", ready: false, since: 0 })
    assert.deepStrictEqual(collectorsFrom([p], 10_000_000, 0).collectors, [{ name: "x", node: "node-1" }])
  })
})
