/**
 * An in-memory API server implementing the `Kubernetes` interface, for tests driven by TestClock: objects with a
 * global resourceVersion, an event history that watches replay from, compaction (410), watches that can be cut,
 * injected failures, and an unreachable mode.
 */
import { Cause, Effect, Layer, Queue, Stream } from "effect"
import { matchesString } from "../../src/kubernetes/labelSelector.ts"
import { objectKey, type KubeObject } from "../../src/kubernetes/objects.ts"
import { collectionPath, type ResourceType } from "../../src/kubernetes/resource.ts"
import { ResourceExpired, Unreachable, type KubernetesError } from "./errors.ts"
import { Kubernetes, type Selection, type WatchEvent } from "./Kubernetes.ts"

interface Recorded {
  readonly rv: number
  readonly path: string
  readonly type: "ADDED" | "MODIFIED" | "DELETED"
  readonly object: KubeObject
}

interface OpenWatch {
  readonly path: string
  readonly selection: Selection
  readonly queue: Queue.Queue<WatchEvent, KubernetesError | Cause.Done>
}

export interface MemoryCluster {
  readonly layer: Layer.Layer<Kubernetes>
  readonly apply: (type: ResourceType, object: KubeObject) => KubeObject
  readonly remove: (type: ResourceType, namespace: string | undefined, name: string) => void
  /** Ends every open watch cleanly: clients must resume from their last resourceVersion. */
  readonly closeWatches: () => void
  /** Forgets history: watching from an older resourceVersion now answers 410. */
  readonly compact: () => void
  /** The next `times` calls of `op` fail with `error`. */
  readonly failNext: (op: "list" | "watch", error: KubernetesError, times?: number) => void
  readonly setReachable: (reachable: boolean) => void
  readonly openWatches: () => number
  readonly calls: { list: number; watch: number }
}

export const makeMemoryCluster = (): MemoryCluster => {
  const objects = new Map<string, Map<string, KubeObject>>()
  const history: Array<Recorded> = []
  const watches = new Set<OpenWatch>()
  const failures: Record<"list" | "watch", Array<KubernetesError>> = { list: [], watch: [] }
  const calls = { list: 0, watch: 0 }
  let rv = 1
  let compactedAt = 0
  let reachable = true
  const server = "memory://cluster"

  const collection = (path: string) => {
    let c = objects.get(path)
    if (c === undefined) objects.set(path, (c = new Map()))
    return c
  }
  const pathOf = (type: ResourceType) => collectionPath(type)
  const inSelection = (o: KubeObject, s: Selection) =>
    (s.namespace === undefined || s.namespace === "" || o.metadata.namespace === s.namespace) && matchesString(s.labelSelector, o.metadata.labels)

  const record = (path: string, type: Recorded["type"], object: KubeObject) => {
    history.push({ rv: Number(object.metadata.resourceVersion), path, type, object })
    for (const w of watches) {
      if (w.path === path && inSelection(object, w.selection)) Queue.offerUnsafe(w.queue, { type, object })
    }
  }

  const injected = (op: "list" | "watch"): KubernetesError | undefined =>
    !reachable ? new Unreachable({ server, message: `cannot reach the API server at ${server}: ECONNREFUSED` }) : failures[op].shift()

  const api = Kubernetes.of({
    server,
    list: (type, selection) =>
      Stream.suspend(() => {
        calls.list++
        const error = injected("list")
        if (error !== undefined) return Stream.fail(error)
        const items = [...collection(pathOf(type)).values()].filter((o) => inSelection(o, selection))
        return Stream.make({ items, resourceVersion: String(rv) })
      }),
    watch: (type, selection, from) =>
      Stream.callback<WatchEvent, KubernetesError>((queue) =>
        Effect.acquireRelease(
          Effect.sync(() => {
            calls.watch++
            const error = injected("watch")
            if (error !== undefined) return void Queue.failCauseUnsafe(queue, Cause.fail(error))
            const since = Number(from)
            if (since < compactedAt) {
              return void Queue.failCauseUnsafe(queue, Cause.fail(new ResourceExpired({ message: `too old resource version: ${since} (${compactedAt})` })))
            }
            const w: OpenWatch = { path: pathOf(type), selection, queue }
            for (const e of history) {
              if (e.rv > since && e.path === w.path && inSelection(e.object, selection)) Queue.offerUnsafe(queue, { type: e.type, object: e.object })
            }
            watches.add(w)
            return w
          }),
          (w) => Effect.sync(() => void (w !== undefined && watches.delete(w)))
        )
      )
  })

  return {
    layer: Layer.succeed(Kubernetes, api),
    apply: (type, object) => {
      const path = pathOf(type)
      const c = collection(path)
      const key = objectKey(object)
      const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(++rv) } }
      const existed = c.has(key)
      c.set(key, stored)
      record(path, existed ? "MODIFIED" : "ADDED", stored)
      return stored
    },
    remove: (type, namespace, name) => {
      const path = pathOf(type)
      const c = collection(path)
      const key = namespace === undefined || namespace === "" ? name : `${namespace}/${name}`
      const old = c.get(key)
      if (old === undefined) return
      c.delete(key)
      record(path, "DELETED", { ...old, metadata: { ...old.metadata, resourceVersion: String(++rv) } })
    },
    closeWatches: () => {
      for (const w of watches) Queue.endUnsafe(w.queue)
      watches.clear()
    },
    compact: () => {
      compactedAt = rv
      history.length = 0
    },
    failNext: (op, error, times = 1) => {
      for (let i = 0; i < times; i++) failures[op].push(error)
    },
    setReachable: (r) => {
      reachable = r
      if (!r) {
        for (const w of watches) Queue.failCauseUnsafe(w.queue, Cause.fail(new Unreachable({ server, message: "connection reset" })))
        watches.clear()
      }
    },
    openWatches: () => watches.size,
    calls
  }
}
