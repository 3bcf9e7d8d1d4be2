/**
 * One watch per (connection, resource, namespace, selectors), shared by every job that needs it: the first
 * subscriber starts a reflector, later ones get its current store replayed and then its live events, and the watch
 * stops when the last subscriber goes.
 */
import { Context, Effect, Fiber, Layer, PubSub, Scope, Stream } from "effect"
import { objectKey, type KubeObject } from "../../src/kubernetes/objects.ts"
import type { ResourceType } from "../../src/kubernetes/resource.ts"
import { Kubernetes, type Selection } from "./Kubernetes.ts"
import { reflect, type ReflectorEvent } from "./reflector.ts"

interface Entry {
  readonly pubsub: PubSub.PubSub<ReflectorEvent>
  readonly store: Map<string, KubeObject>
  synced: boolean
  subscribers: number
  fiber: Fiber.Fiber<void> | undefined
}

export class Informers extends Context.Service<Informers, {
  /** The events of the shared watch, starting with the objects it already holds (and `Synced` if it has listed). */
  readonly subscribe: (
    connection: string,
    kubernetes: Kubernetes["Service"],
    type: ResourceType,
    selection: Selection
  ) => Effect.Effect<Stream.Stream<ReflectorEvent>, never, Scope.Scope>
  readonly count: () => number
}>()("target-allocator/Informers") {
  static readonly layer = Layer.effect(
    Informers,
    Effect.gen(function*() {
      const scope = yield* Effect.scope
      const entries = new Map<string, Entry>()

      const start = (entry: Entry, kubernetes: Kubernetes["Service"], type: ResourceType, selection: Selection) =>
        reflect(type, selection).pipe(
          Stream.runForEachArray((events) =>
            Effect.suspend(() => {
              for (const e of events) {
                if (e._tag === "Upserted") entry.store.set(objectKey(e.object), e.object)
                else if (e._tag === "Deleted") entry.store.delete(objectKey(e.object))
                else if (e._tag === "Synced") entry.synced = true
              }
              return PubSub.publishAll(entry.pubsub, events)
            })),
          Effect.provideService(Kubernetes, kubernetes),
          Effect.forkIn(scope)
        )

      return {
        count: () => entries.size,
        subscribe: (connection, kubernetes, type, selection) =>
          Effect.gen(function*() {
            const key = JSON.stringify([connection, type.group, type.version, type.plural, selection.namespace ?? "", selection.labelSelector ?? "", selection.fieldSelector ?? ""])
            let entry = entries.get(key)
            if (entry === undefined) {
              entry = { pubsub: yield* PubSub.unbounded<ReflectorEvent>(), store: new Map(), synced: false, subscribers: 0, fiber: undefined }
              entries.set(key, entry)
              entry.fiber = yield* start(entry, kubernetes, type, selection)
            }
            const e = entry
            e.subscribers++
            yield* Effect.addFinalizer(() =>
              Effect.gen(function*() {
                e.subscribers--
                if (e.subscribers > 0) return
                entries.delete(key)
                if (e.fiber !== undefined) yield* Fiber.interrupt(e.fiber)
              }))
            // Subscribe first, then copy the store: an event landing in between is seen twice (harmless: an upsert
            // is idempotent), never missed.
            const subscription = yield* PubSub.subscribe(e.pubsub)
            const replay: Array<ReflectorEvent> = [...e.store.values()].map((object) => ({ _tag: "Upserted", object }))
            if (e.synced) replay.push({ _tag: "Synced", store: e.store })
            return Stream.concat(Stream.fromIterable(replay), Stream.fromSubscription(subscription))
          })
      }
    })
  )
}
