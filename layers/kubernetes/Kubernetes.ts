/**
 * The Kubernetes API as the allocator uses it: list and watch any resource. The Live layer speaks to a real API
 * server through `@kubernetes/client-node` (its kubeconfig handling, authentication, TLS and `Watch`); the memory
 * layer (`memory.ts`) implements the same interface for tests driven by TestClock.
 */
import type * as K8s from "@kubernetes/client-node"
import { Cause, Context, Effect, Layer, Option, Queue, Stream } from "effect"
import { type KubeObject, withoutManagedFields } from "../../src/kubernetes/objects.ts"
import { collectionPath, describeCollection, type ResourceType } from "../../src/kubernetes/resource.ts"
import { fromStatus, ResourceExpired, Unreachable, type KubernetesError } from "./errors.ts"
import { clientNode, type ClientNode } from "./clientNode.ts"
import { loadKubeConfig } from "./kubeConfig.ts"
import { undici, type Undici } from "../undici.ts"

export interface Selection {
  /** Omitted (or "") for every namespace. */
  readonly namespace?: string | undefined
  readonly labelSelector?: string | undefined
  readonly fieldSelector?: string | undefined
}

/** One page of a list; the pages of one list are one consistent snapshot at `resourceVersion`. */
export interface ListPage {
  readonly items: ReadonlyArray<KubeObject>
  readonly resourceVersion: string
}

export type WatchEvent =
  | { readonly type: "ADDED" | "MODIFIED" | "DELETED"; readonly object: KubeObject }
  | { readonly type: "BOOKMARK"; readonly resourceVersion: string }

export class Kubernetes extends Context.Service<Kubernetes, {
  /** The server, for messages. */
  readonly server: string
  /**
   * Every object of the selection, page by page as the server sends them (so they can be processed while the next
   * page is on its way), and the resourceVersion to watch from.
   */
  readonly list: (type: ResourceType, selection: Selection) => Stream.Stream<ListPage, KubernetesError>
  /** Changes after `resourceVersion`; ends when the server ends the watch, fails with `ResourceExpired` on 410. */
  readonly watch: (type: ResourceType, selection: Selection, resourceVersion: string) => Stream.Stream<WatchEvent, KubernetesError>
}>()("target-allocator/Kubernetes") {
  /** Connects with `--kubeconfig-path`, else `KUBECONFIG`, else the in-cluster service account. */
  static readonly layer = (kubeconfigPath: string) =>
    Layer.effect(Kubernetes, Effect.map(Effect.all([clientNode, undici, loadKubeConfig(kubeconfigPath)]), ([k8s, u, kc]) => make(k8s, u, kc)))
}

const pageSize = 500

const networkError = (e: unknown, server: string): KubernetesError => {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause
  const detail = cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e)
  return new Unreachable({ server, message: `cannot reach the API server at ${server}: ${detail}` })
}

export const make = (k8s: ClientNode, { request }: Undici, kc: K8s.KubeConfig) => {
  const server = kc.getCurrentCluster()?.server ?? "(no cluster)"

  const get = (type: ResourceType, selection: Selection, query: Record<string, string>) =>
    Effect.tryPromise({
      try: async (signal) => {
        const url = new URL(server + collectionPath(type, selection.namespace))
        for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
        if (selection.labelSelector) url.searchParams.set("labelSelector", selection.labelSelector)
        if (selection.fieldSelector) url.searchParams.set("fieldSelector", selection.fieldSelector)
        const ctx = new k8s.RequestContext(url.toString(), k8s.HttpMethod.GET)
        await kc.applySecurityAuthentication(ctx)
        const dispatcher = ctx.getDispatcher()
        // undici's request rather than fetch: no web streams between the socket and the bytes of a large list.
        const res = await request(url, { headers: ctx.getHeaders(), signal, ...(dispatcher === undefined ? {} : { dispatcher }) })
        const text = await res.body.text()
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          body = { message: text.slice(0, 300) }
        }
        return { status: res.statusCode, body }
      },
      catch: (e) => networkError(e, server)
    }).pipe(
      Effect.flatMap(({ status, body }) =>
        status === 200
          ? Effect.succeed(body as { items?: ReadonlyArray<KubeObject>; metadata?: { resourceVersion?: string; continue?: string } })
          : Effect.fail(fromStatus(status, body as never, "list", describeCollection(type, selection.namespace), server))
      )
    )

  const list = (type: ResourceType, selection: Selection): Stream.Stream<ListPage, KubernetesError> => {
    const apiVersion = type.group === "" ? type.version : `${type.group}/${type.version}`
    return Stream.paginate(undefined as string | undefined, (next) =>
      Effect.map(get(type, selection, { limit: String(pageSize), ...(next ? { continue: next } : {}) }), (page) => {
        // A list does not repeat apiVersion/kind on its items; put them back, so an object says what it is.
        const items = (page.items ?? []).map((item) => withoutManagedFields({ apiVersion, kind: type.kind, ...item }))
        const more = page.metadata?.continue || undefined
        return [[{ items, resourceVersion: page.metadata?.resourceVersion ?? "" }], more === undefined ? Option.none() : Option.some(more)] as const
      }))
  }

  const watch = (type: ResourceType, selection: Selection, resourceVersion: string): Stream.Stream<WatchEvent, KubernetesError> =>
    Stream.callback<WatchEvent, KubernetesError>((queue) =>
      Effect.acquireRelease(
        Effect.promise(async () => {
          const watcher = new k8s.Watch(kc)
          // The server sends a bookmark about every minute; five silent minutes mean a dead connection. (The field
          // is private in the typings only; client-node's default of 30 s would cut every quiet watch.)
          ;(watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 5 * 60_000
          const resource = describeCollection(type, selection.namespace)
          const query: Record<string, string | number | boolean> = {
            resourceVersion,
            allowWatchBookmarks: true,
            // As client-go: let the server end each watch after 5 to 10 minutes, so no connection lives forever.
            timeoutSeconds: 300 + Math.floor(Math.random() * 300)
          }
          if (selection.labelSelector) query["labelSelector"] = selection.labelSelector
          if (selection.fieldSelector) query["fieldSelector"] = selection.fieldSelector
          return watcher.watch(
            collectionPath(type, selection.namespace),
            query,
            (phase: string, object: KubeObject & { code?: number; message?: string; reason?: string }) => {
              if (phase === "BOOKMARK") {
                Queue.offerUnsafe(queue, { type: "BOOKMARK", resourceVersion: object.metadata?.resourceVersion ?? resourceVersion })
              } else if (phase === "ADDED" || phase === "MODIFIED" || phase === "DELETED") {
                Queue.offerUnsafe(queue, { type: phase, object: withoutManagedFields(object) })
              } else if (phase === "ERROR") {
                const status = object.code ?? 500
                Queue.failCauseUnsafe(queue, Cause.fail(
                  status === 410 ? new ResourceExpired({ message: object.message ?? "resource version expired" }) : fromStatus(status, object, "watch", resource, server)
                ))
              }
            },
            (err: unknown) => {
              if (err === null || err === undefined) return void Queue.endUnsafe(queue)
              const status = (err as { statusCode?: number }).statusCode
              if ((err as { name?: string }).name === "TimeoutError" || (err as { name?: string }).name === "AbortError") return void Queue.endUnsafe(queue)
              Queue.failCauseUnsafe(queue, Cause.fail(
                status !== undefined ? fromStatus(status, { message: (err as Error).message }, "watch", resource, server) : networkError(err, server)
              ))
            }
          )
        }),
        (controller) => Effect.sync(() => controller.abort())
      )
    )

  return Kubernetes.of({ server, list, watch })
}
