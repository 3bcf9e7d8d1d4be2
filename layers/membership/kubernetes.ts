/**
 * Collector membership from the collector pods: watched through the reflector, turned into a collector set by the
 * pure rules of `src/membership/pods.ts`, and emitted only when the set changes. Bursts are coalesced (a rollout
 * replacing pods one by one gives one new set per window, not one per event), and a timer takes out a pod whose
 * grace period runs out even when no event arrives.
 */
import { Clock, Effect, Queue, Stream } from "effect"
import type { LabelSelector } from "../../src/config/labelSelector.ts"
import { selectorString } from "../../src/kubernetes/labelSelector.ts"
import { objectKey, type Pod } from "../../src/kubernetes/objects.ts"
import { pods as podsResource } from "../../src/kubernetes/resource.ts"
import type { Collector } from "../../src/membership/collector.ts"
import { collectorsFrom, sameCollectors } from "../../src/membership/pods.ts"
import type { Kubernetes } from "../kubernetes/Kubernetes.ts"
import { reflect } from "../kubernetes/reflector.ts"

export interface PodMembershipOptions {
  readonly namespace: string
  readonly selector: LabelSelector | undefined
  readonly graceMs: number
  /** Upstream rebuilds the collector set at most every 5 seconds. */
  readonly coalesceMs?: number
}

export const podMembership = (options: PodMembershipOptions): Stream.Stream<ReadonlyArray<Collector>, never, Kubernetes> =>
  Stream.callback<ReadonlyArray<Collector>, never, Kubernetes>((out) =>
    Effect.gen(function*() {
      const coalesceMs = options.coalesceMs ?? 5_000
      const pods = new Map<string, Pod>()
      const changed = yield* Queue.sliding<void>(1)
      let synced = false
      let last: ReadonlyArray<Collector> | undefined

      yield* reflect(podsResource, { namespace: options.namespace, labelSelector: selectorString(options.selector) }).pipe(
        Stream.runForEach((e) =>
          Effect.gen(function*() {
            if (e._tag === "Upserted") pods.set(objectKey(e.object), e.object as Pod)
            else if (e._tag === "Deleted") pods.delete(objectKey(e.object))
            else if (e._tag === "Synced") synced = true
            else return
            if (synced) yield* Queue.offer(changed, undefined)
          })),
        Effect.forkScoped
      )

      const publish = Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const m = collectorsFrom(pods.values(), now, options.graceMs)
        if (last === undefined || !sameCollectors(last, m.collectors)) {
          last = m.collectors
          yield* Effect.logInfo(`collectors (${m.collectors.length}): ${m.collectors.map((c) => c.name).join(", ") || "none"}`)
          Queue.offerUnsafe(out, m.collectors)
        }
        return m.nextChangeAt === undefined ? undefined : Math.max(0, m.nextChangeAt - now)
      })

      // The first set goes out as soon as the initial list is in; later ones once per coalescing window.
      yield* Queue.take(changed)
      let wait = yield* publish
      const loop = Effect.gen(function*() {
        const woken = wait === undefined
          ? yield* Queue.take(changed).pipe(Effect.as("change" as const))
          : yield* Effect.raceFirst(Queue.take(changed).pipe(Effect.as("change" as const)), Effect.sleep(wait).pipe(Effect.as("timer" as const)))
        if (woken === "change") yield* Effect.sleep(coalesceMs)
        wait = yield* publish
      })
      yield* Effect.forever(loop).pipe(Effect.forkScoped)
    })
  )
