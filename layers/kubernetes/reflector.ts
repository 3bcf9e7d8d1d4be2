/**
 * List-then-watch of one resource selection, kept converging to the server's truth: the resourceVersion is tracked
 * from every event and bookmark; a dropped watch resumes where it stopped; a 410 (history compacted) relists at
 * once; list pages are passed on as they arrive, and once the list is complete whatever the store holds that the
 * list did not is reported deleted (objects deleted during a gap);
 * failures are retried with capped exponential backoff and jitter. The output never fails: failures are events too,
 * so consumers can report them while they keep serving the last good state.
 */
import { Effect, Queue, Random, Stream } from "effect"
import { objectKey, type KubeObject } from "../../src/kubernetes/objects.ts"
import { describeCollection, type ResourceType } from "../../src/kubernetes/resource.ts"
import type { KubernetesError } from "./errors.ts"
import { Kubernetes, type Selection, type WatchEvent } from "./Kubernetes.ts"

export type ReflectorEvent =
  | { readonly _tag: "Upserted"; readonly object: KubeObject }
  | { readonly _tag: "Deleted"; readonly object: KubeObject }
  /** After every (re)list: the store now equals the server's state at that list. */
  | { readonly _tag: "Synced"; readonly store: ReadonlyMap<string, KubeObject> }
  | { readonly _tag: "Failed"; readonly error: KubernetesError; readonly retryInMs: number }

export interface ReflectorOptions {
  readonly initialBackoffMs?: number
  readonly maxBackoffMs?: number
}

export const reflect = (type: ResourceType, selection: Selection, options: ReflectorOptions = {}): Stream.Stream<ReflectorEvent, never, Kubernetes> =>
  Stream.callback<ReflectorEvent, never, Kubernetes>((queue) =>
    Effect.gen(function*() {
      const api = yield* Kubernetes
      const initial = options.initialBackoffMs ?? 1_000
      const cap = options.maxBackoffMs ?? 30_000
      const what = describeCollection(type, selection.namespace)
      const store = new Map<string, KubeObject>()
      let resourceVersion: string | undefined
      let failures = 0
      const emit = (e: ReflectorEvent) => Queue.offerUnsafe(queue, e)

      const fail = (error: KubernetesError) =>
        Effect.gen(function*() {
          const jitter = 0.8 + 0.4 * (yield* Random.next)
          const delay = Math.round(Math.min(cap, initial * 2 ** failures) * jitter)
          failures++
          emit({ _tag: "Failed", error, retryInMs: delay })
          yield* Effect.logWarning(`kubernetes: ${what}: ${error.message}; retrying in ${(delay / 1000).toFixed(1)}s`)
          yield* Effect.sleep(delay)
        })

      // Each page is passed on as it arrives; what the list no longer holds is deleted once it is complete.
      const relist = Effect.gen(function*() {
        const seen = new Set<string>()
        let listedAt = ""
        yield* api.list(type, selection).pipe(Stream.runForEach((page) =>
          Effect.sync(() => {
            listedAt = page.resourceVersion
            for (const o of page.items) {
              const key = objectKey(o)
              seen.add(key)
              const old = store.get(key)
              if (old === undefined || old.metadata.resourceVersion !== o.metadata.resourceVersion) {
                store.set(key, o)
                emit({ _tag: "Upserted", object: o })
              }
            }
          })
        ))
        for (const [key, old] of store) {
          if (!seen.has(key)) {
            store.delete(key)
            emit({ _tag: "Deleted", object: old })
          }
        }
        resourceVersion = listedAt
        failures = 0
        emit({ _tag: "Synced", store })
      })

      const apply = (e: WatchEvent) =>
        Effect.sync(() => {
          failures = 0
          if (e.type === "BOOKMARK") {
            resourceVersion = e.resourceVersion
            return
          }
          const key = objectKey(e.object)
          resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion
          if (e.type === "DELETED") {
            store.delete(key)
            emit({ _tag: "Deleted", object: e.object })
          } else {
            store.set(key, e.object)
            emit({ _tag: "Upserted", object: e.object })
          }
        })

      const step: Effect.Effect<void, never, never> = Effect.gen(function*() {
        if (resourceVersion === undefined) {
          const listed = yield* Effect.result(relist)
          if (listed._tag === "Failure") return yield* fail(listed.failure)
        }
        let delivered = 0
        const watched = yield* Effect.result(
          api.watch(type, selection, resourceVersion!).pipe(Stream.runForEach((e) => (delivered++, apply(e))))
        )
        if (watched._tag === "Success") {
          // A server that ends watches at once must not make us spin.
          if (delivered === 0) yield* Effect.sleep(initial)
          return
        }
        if (watched.failure._tag === "ResourceExpired") {
          yield* Effect.logInfo(`kubernetes: ${what}: watch history expired; listing again`)
          resourceVersion = undefined
          return
        }
        return yield* fail(watched.failure)
      })

      yield* Effect.forever(step).pipe(Effect.forkScoped)
    })
  )
