/**
 * The fake API server against the real `@kubernetes/client-node`: if these pass, code written against client-node
 * (or its request shapes) can be tested against the fake. Every wait is on an event (a callback, a request reaching
 * the server) with a bounded timeout that fails with a message; nothing sleeps.
 */
import * as k8s from "@kubernetes/client-node"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import {
  kubeConfigFor,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  startFakeApiServer,
  type FakeApiServer,
  type ObjectInput
} from "./fakeApiServer.ts"

// ---------------------------------------------------------------------------------------------------------------------
// Helpers

/** Rejects loudly when `p` has not settled within `ms`. */
const within = <T>(p: Promise<T>, what: string, ms = 5000): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e))
    )
  })

/** Collects items pushed by callbacks; `until` resolves once the collected items satisfy a condition. */
class Recorder<T> {
  readonly items: Array<T> = []
  private readonly waiters: Array<() => void> = []

  push = (item: T): void => {
    this.items.push(item)
    for (const w of [...this.waiters]) w()
  }

  until(done: (items: ReadonlyArray<T>) => boolean, what: string, ms = 5000): Promise<ReadonlyArray<T>> {
    return within(new Promise((resolve) => {
      const check = () => {
        if (!done(this.items)) return
        this.waiters.splice(this.waiters.indexOf(check), 1)
        resolve(this.items)
      }
      this.waiters.push(check)
      check()
    }), `${what} (have ${JSON.stringify(this.items.map(summary))})`, ms)
  }

  count(n: number, what: string): Promise<ReadonlyArray<T>> {
    return this.until((items) => items.length >= n, `${n} ${what}`)
  }
}

const summary = (x: unknown): unknown => {
  const e = x as { type?: string; object?: { metadata?: { name?: string; resourceVersion?: string } } }
  return e.type !== undefined ? `${e.type} ${e.object?.metadata?.name ?? ""}@${e.object?.metadata?.resourceVersion ?? ""}` : x
}

const deferred = <T>() => {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

interface Ev {
  readonly type: string
  readonly object: { metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> }; code?: number; reason?: string; message?: string; kind?: string }
}

/** A client-node `Watch` whose events go to `events` and whose end (done callback) resolves `done`. */
const watch = async (kc: k8s.KubeConfig, path: string, query: Record<string, string | number | boolean>, events: Recorder<Ev>) => {
  const done = deferred<unknown>()
  const controller = await new k8s.Watch(kc).watch(path, query, (type, object) => events.push({ type, object }), (err) => done.resolve(err))
  return { controller, done: within(done.promise, `the end of the watch on ${path}`) }
}

const pod = (namespace: string, name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { namespace, name, labels },
  spec: { containers: [{ name: "c", image: "busybox" }] },
  ...extra
})

/** What `ApiException` carries; its body is the raw response text, or undefined (a typed API's 401). */
const apiError = async (p: Promise<unknown>): Promise<{ code: number; body: unknown; message: string }> => {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(k8s.ApiException)
    const ex = e as k8s.ApiException<unknown>
    return { code: ex.code, body: typeof ex.body === "string" ? JSON.parse(ex.body) : ex.body, message: ex.message }
  }
  throw new Error("expected the request to fail")
}

const names = (items: ReadonlyArray<{ metadata?: { name?: string } }>) => items.map((i) => i.metadata?.name)

// ---------------------------------------------------------------------------------------------------------------------

let server: FakeApiServer
let kc: k8s.KubeConfig
let core: k8s.CoreV1Api
let objects: k8s.KubernetesObjectApi
const cleanups: Array<() => unknown> = []

beforeEach(async () => {
  server = await startFakeApiServer({ namespace: "otel" })
  kc = kubeConfigFor(server)
  core = kc.makeApiClient(k8s.CoreV1Api)
  objects = k8s.KubernetesObjectApi.makeApiClient(kc)
})

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
  await server.close()
})

describe("selectors", () => {
  it("parses and matches the full label selector syntax", () => {
    const labels = { app: "web", tier: "front", version: "3" }
    const cases: Array<[string, boolean]> = [
      ["", true],
      ["app=web", true],
      ["app==web", true],
      ["app!=web", false],
      ["missing!=x", true],
      ["app in (web, api)", true],
      ["app in (api)", false],
      ["app notin (api,db)", true],
      ["missing notin (x)", true],
      ["app", true],
      ["!app", false],
      ["!missing", true],
      ["app=web,tier=front", true],
      ["app=web, tier=back", false],
      ["version>2", true],
      ["version<3", false],
      ["empty=", false]
    ]
    for (const [selector, expected] of cases) expect([selector, matchesLabels(parseLabelSelector(selector), labels)]).toEqual([selector, expected])
    expect(matchesLabels(parseLabelSelector("empty="), { empty: "" })).toBe(true)
    for (const bad of ["app in web", "app in (web", "=web", "app=web,", "app notin ()", "version>x"]) {
      expect(() => parseLabelSelector(bad), bad).toThrow(/unable to parse requirement/)
    }
  })

  it("parses field selectors with escapes", () => {
    expect(parseFieldSelector("metadata.name=a\\,b,spec.nodeName!=n1,status.phase==Running")).toEqual([
      { path: "metadata.name", operator: "=", value: "a,b" },
      { path: "spec.nodeName", operator: "!=", value: "n1" },
      { path: "status.phase", operator: "=", value: "Running" }
    ])
    expect(() => parseFieldSelector("nonsense")).toThrow(/invalid selector/)
  })
})

describe("discovery and list", () => {
  it("serves discovery as client-node's KubernetesObjectApi needs it", async () => {
    const get = async (path: string) => (await fetch(server.url + path)).json()
    expect(await get("/api")).toMatchObject({ kind: "APIVersions", versions: ["v1"] })
    expect(await get("/apis")).toMatchObject({
      kind: "APIGroupList",
      groups: expect.arrayContaining([expect.objectContaining({ name: "discovery.k8s.io", preferredVersion: { groupVersion: "discovery.k8s.io/v1", version: "v1" } })])
    })
    expect(await get("/api/v1")).toMatchObject({
      kind: "APIResourceList",
      groupVersion: "v1",
      resources: expect.arrayContaining([{ name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: expect.arrayContaining(["list", "watch"]) }])
    })
    expect(await get("/version")).toMatchObject({ major: "1" })

    const since = server.requests.length
    server.load([
      { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { namespace: "otel", name: "svc-abc", labels: { "kubernetes.io/service-name": "svc" } }, addressType: "IPv4", endpoints: [] },
      { apiVersion: "v1", kind: "Node", metadata: { name: "node-1" } }
    ])
    const slices = await objects.list("discovery.k8s.io/v1", "EndpointSlice", "otel", undefined, undefined, undefined, undefined, "kubernetes.io/service-name=svc")
    expect(names(slices.items)).toEqual(["svc-abc"])
    const nodes = await objects.list("v1", "Node")
    expect(names(nodes.items)).toEqual(["node-1"])
    // Discovery first (once per apiVersion, then cached), then the list, with the selector as the only extra parameter.
    expect(server.requests.slice(since).map((r) => `${r.path}?${new URLSearchParams(r.query as Record<string, string>)}`)).toEqual([
      "/apis/discovery.k8s.io/v1?",
      "/apis/discovery.k8s.io/v1/namespaces/otel/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dsvc",
      "/api/v1?",
      "/api/v1/nodes?"
    ])
  })

  it("lists with label and field selectors", async () => {
    server.load([
      pod("otel", "web-1", { app: "web", tier: "front" }, { spec: { nodeName: "n1", containers: [] }, status: { phase: "Running" } }),
      pod("otel", "web-2", { app: "web", tier: "back" }, { spec: { nodeName: "n2", containers: [] }, status: { phase: "Pending" } }),
      pod("otel", "db-1", { app: "db" }, { spec: { nodeName: "n1", containers: [] } }),
      pod("other", "web-3", { app: "web" }, { spec: { nodeName: "n1", containers: [] } })
    ])
    const inOtel = await core.listNamespacedPod({ namespace: "otel", labelSelector: "app in (web,api),tier!=back" })
    expect(names(inOtel.items)).toEqual(["web-1"])
    expect(inOtel.metadata?.resourceVersion).toBe(server.resourceVersion)

    const onN1 = await core.listPodForAllNamespaces({ fieldSelector: "spec.nodeName=n1" })
    expect(names(onN1.items)).toEqual(["db-1", "web-1", "web-3"])
    const notOtel = await core.listPodForAllNamespaces({ fieldSelector: "metadata.namespace!=otel,spec.nodeName==n1" })
    expect(names(notOtel.items)).toEqual(["web-3"])
    const running = await core.listNamespacedPod({ namespace: "otel", fieldSelector: "status.phase=Running", labelSelector: "app" })
    expect(names(running.items)).toEqual(["web-1"])
    const named = await core.listNamespacedPod({ namespace: "otel", fieldSelector: "metadata.name=db-1" })
    expect(names(named.items)).toEqual(["db-1"])

    // Via KubernetesObjectApi too (the kubeconfig's default namespace is not applied to a list without one).
    const all = await objects.list("v1", "Pod", undefined, undefined, undefined, undefined, undefined, "!tier")
    expect(names(all.items)).toEqual(["db-1", "web-3"])

    const bad = await apiError(core.listNamespacedPod({ namespace: "otel", labelSelector: "app in web" }))
    expect(bad.code).toBe(400)
    expect(bad.body).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 })
  })

  it("paginates with limit and continue over one consistent snapshot", async () => {
    server.load(["p0", "p1", "p2", "p3", "p4"].map((n) => pod("otel", n)))
    const first = await core.listNamespacedPod({ namespace: "otel", limit: 2 })
    expect(names(first.items)).toEqual(["p0", "p1"])
    expect(first.metadata?.remainingItemCount).toBe(3)
    const snapshotRv = first.metadata?.resourceVersion
    const token = first.metadata?._continue
    expect(token).toBeTruthy()

    // Changes between pages do not show up in the remaining pages of this list...
    server.create(pod("otel", "a0"))
    server.delete("v1", "Pod", "otel", "p4")
    const second = await core.listNamespacedPod({ namespace: "otel", limit: 2, _continue: token! })
    expect(names(second.items)).toEqual(["p2", "p3"])
    expect(second.metadata?.resourceVersion).toBe(snapshotRv)
    const third = await core.listNamespacedPod({ namespace: "otel", limit: 2, _continue: second.metadata!._continue! })
    expect(names(third.items)).toEqual(["p4"])
    expect(third.metadata?._continue).toBeUndefined()

    // ...but do in a new one.
    const fresh = await core.listNamespacedPod({ namespace: "otel" })
    expect(names(fresh.items)).toEqual(["a0", "p0", "p1", "p2", "p3"])
    expect(fresh.metadata?.resourceVersion).toBe(server.resourceVersion)

    // A token from before the compaction point has expired.
    server.compact()
    const gone = await apiError(core.listNamespacedPod({ namespace: "otel", limit: 2, _continue: second.metadata!._continue! }))
    expect(gone.code).toBe(410)
    expect(gone.body).toMatchObject({ reason: "Expired", code: 410 })
  })

  it("answers an Exact list at an older resourceVersion, and 410 once it is compacted", async () => {
    server.create(pod("otel", "a"))
    const rv = server.resourceVersion
    server.create(pod("otel", "b"))
    const exact = await core.listNamespacedPod({ namespace: "otel", resourceVersion: rv, resourceVersionMatch: "Exact" })
    expect(names(exact.items)).toEqual(["a"])
    expect(exact.metadata?.resourceVersion).toBe(rv)
    // Without Exact the rv is a lower bound: the current state.
    expect(names((await core.listNamespacedPod({ namespace: "otel", resourceVersion: "0" })).items)).toEqual(["a", "b"])
    server.compact()
    const gone = await apiError(core.listNamespacedPod({ namespace: "otel", resourceVersion: rv, resourceVersionMatch: "Exact" }))
    expect(gone).toMatchObject({ code: 410, body: { reason: "Expired", message: `too old resource version: ${rv} (${server.resourceVersion})` } })
  })

  it("keeps apiVersion/kind on custom resource list items but not on built-in ones, as a real server", async () => {
    server.register({ group: "monitoring.coreos.com", version: "v1", plural: "servicemonitors", kind: "ServiceMonitor", namespaced: true })
    server.create({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { namespace: "otel", name: "sm" }, spec: {} })
    server.create(pod("otel", "p"))
    const raw = async (path: string) => (await (await fetch(server.url + path)).json()) as { items: Array<Record<string, unknown>> }
    expect((await raw("/apis/monitoring.coreos.com/v1/servicemonitors")).items[0]).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" })
    expect((await raw("/api/v1/pods")).items[0]).not.toHaveProperty("kind")
  })
})

describe("watch", () => {
  it("delivers ADDED, MODIFIED and DELETED to client-node's Watch, with selector transitions", async () => {
    server.create(pod("other", "elsewhere", { app: "web" }))
    const rv = (await core.listNamespacedPod({ namespace: "otel" })).metadata!.resourceVersion!
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/namespaces/otel/pods", { resourceVersion: rv, labelSelector: "app=web" }, events)
    cleanups.push(() => w.controller.abort())

    server.create(pod("other", "not-this-namespace", { app: "web" }))
    server.create(pod("otel", "web", { app: "web" }))
    server.create(pod("otel", "db", { app: "db" }))
    server.update(pod("otel", "web", { app: "web", v: "2" }))
    server.update(pod("otel", "web", { app: "moved" })) // leaves the selection
    server.update(pod("otel", "db", { app: "web" })) // enters it
    server.delete("v1", "Pod", "otel", "db")
    const got = await events.count(5, "watch events")
    expect(got.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED web", "MODIFIED web", "DELETED web", "ADDED db", "DELETED db"])
    // The DELETED for an object leaving the selection carries its previous state, at the event's rv.
    expect(got[2]!.object.metadata?.labels).toEqual({ app: "web", v: "2" })
    const rvs = got.map((e) => Number(e.object.metadata?.resourceVersion))
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b))
    expect(got[4]!.object.metadata?.resourceVersion).toBe(server.resourceVersion)
    // What client-node sent.
    const request = server.requests.find((r) => r.verb === "watch")!
    expect(request.query).toEqual({ watch: "true", resourceVersion: rv, labelSelector: "app=web" })
  })

  it("sends the current state as ADDED to a watch without resourceVersion", async () => {
    server.load([pod("otel", "a"), pod("otel", "b")])
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/namespaces/otel/pods", {}, events)
    cleanups.push(() => w.controller.abort())
    server.create(pod("otel", "c"))
    expect((await events.count(3, "events")).map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED a", "ADDED b", "ADDED c"])
  })

  it("resumes from the last resourceVersion after closeWatches() without missing or repeating an event", async () => {
    const events = new Recorder<Ev>()
    const ends: Array<unknown> = []
    let lastRv = (await core.listNamespacedPod({ namespace: "otel" })).metadata!.resourceVersion!
    let controller: AbortController | undefined
    // The loop every client-node user writes: on a clean end, watch again from the last rv seen.
    const run = async (): Promise<void> => {
      controller = await new k8s.Watch(kc).watch(
        "/api/v1/namespaces/otel/pods",
        { resourceVersion: lastRv },
        (type, object: Ev["object"]) => {
          lastRv = object.metadata?.resourceVersion ?? lastRv
          events.push({ type, object })
        },
        (err) => {
          ends.push(err)
          if (err === null) void run()
        }
      )
    }
    await run()
    cleanups.push(() => controller?.abort())

    server.create(pod("otel", "a"))
    server.create(pod("otel", "b"))
    await events.count(2, "events before the close")
    const rvAtClose = server.resourceVersion
    const since = server.requests.length
    server.closeWatches()
    // Made while the client is reconnecting: replayed from the log.
    server.update(pod("otel", "a", { changed: "yes" }))
    server.delete("v1", "Pod", "otel", "b")
    const rewatch = await server.waitForRequest((r) => r.verb === "watch", { since })
    expect(rewatch.query["resourceVersion"]).toBe(rvAtClose)
    server.create(pod("otel", "c"))
    const got = await events.count(5, "events across the reconnect")
    expect(got.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED a", "ADDED b", "MODIFIED a", "DELETED b", "ADDED c"])
    const rvs = got.map((e) => Number(e.object.metadata?.resourceVersion))
    expect(new Set(rvs).size).toBe(rvs.length)
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y))
    expect(ends).toEqual([null]) // a clean end: done(null)
  })

  it("answers a watch from before compact() with an ERROR event carrying 410 Expired", async () => {
    const rv = server.resourceVersion
    server.create(pod("otel", "a"))
    server.compact()
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/namespaces/otel/pods", { resourceVersion: rv }, events)
    expect(await w.done).toBeNull() // the stream ends cleanly after the ERROR event
    expect(events.items).toEqual([{
      type: "ERROR",
      object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "Expired", code: 410, message: `too old resource version: ${rv} (${server.resourceVersion})` }
    }])
    // From the compaction point on, watching works.
    const ok = await watch(kc, "/api/v1/namespaces/otel/pods", { resourceVersion: server.resourceVersion }, events)
    cleanups.push(() => ok.controller.abort())
    expect(server.openWatches("/api/v1/namespaces/otel/pods")).toBe(1)
  })

  it("answers a watch from before compact() with HTTP 410 when asked to", async () => {
    const rv = server.resourceVersion
    server.create(pod("otel", "a"))
    server.compact()
    server.expiredWatch = "status"
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/namespaces/otel/pods", { resourceVersion: rv }, events)
    // client-node's Watch reports a non-200 answer as an Error with statusCode (the body is not read).
    const err = (await w.done) as Error & { statusCode?: number }
    expect(err).toBeInstanceOf(Error)
    expect(err.statusCode).toBe(410)
    expect(err.message).toBe("Gone")
    expect(events.items).toEqual([])
  })

  it("sends bookmarks to the watches that asked for them", async () => {
    const withBookmarks = new Recorder<Ev>()
    const without = new Recorder<Ev>()
    const rv = server.resourceVersion
    const a = await watch(kc, "/api/v1/pods", { resourceVersion: rv, allowWatchBookmarks: true }, withBookmarks)
    const b = await watch(kc, "/api/v1/pods", { resourceVersion: rv }, without)
    cleanups.push(() => a.controller.abort(), () => b.controller.abort())
    expect(server.openWatches("/api/v1/pods")).toBe(2)
    server.create(pod("otel", "a"))
    server.bookmark()
    server.create(pod("otel", "b"))
    await withBookmarks.count(3, "events with bookmarks")
    await without.count(2, "events without bookmarks")
    expect(withBookmarks.items.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK", "ADDED"])
    expect(withBookmarks.items[1]!.object).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(Number(server.resourceVersion) - 1) } })
    expect(without.items.map((e) => e.type)).toEqual(["ADDED", "ADDED"])
  })

  it("ends a watch after timeoutSeconds", async () => {
    const w = await watch(kc, "/api/v1/pods", { resourceVersion: server.resourceVersion, timeoutSeconds: 1 }, new Recorder<Ev>())
    expect(await w.done).toBeNull()
  })
})

describe("errors", () => {
  it("answers 403 with a Kubernetes Status, seen through client-node's ApiException", async () => {
    server.deny({ verb: "list", resource: "pods", namespace: "otel" })
    const e = await apiError(core.listNamespacedPod({ namespace: "otel" }))
    expect(e.code).toBe(403)
    expect(e.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `pods is forbidden: User "system:serviceaccount:otel:ta" cannot list resource "pods" in API group "" in the namespace "otel"`,
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403
    })
    expect(e.message).toMatch(/^HTTP-Code: 403\nMessage: Unknown API Status Code!\nBody: /)
    // Only that verb in that namespace.
    await core.listNamespacedPod({ namespace: "other" })
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/namespaces/otel/pods", { resourceVersion: server.resourceVersion }, events)
    cleanups.push(() => w.controller.abort())

    server.deny({ verb: "watch", resource: "endpointslices" })
    const denied = await watch(kc, "/apis/discovery.k8s.io/v1/endpointslices", {}, events)
    expect(await denied.done).toMatchObject({ statusCode: 403, message: "Forbidden" })
    const raw = await fetch(`${server.url}/apis/discovery.k8s.io/v1/endpointslices?watch=true`)
    expect(await raw.json()).toMatchObject({ message: `endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:otel:ta" cannot watch resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope`, details: { group: "discovery.k8s.io", kind: "endpointslices" } })

    server.allow({ verb: "list", resource: "pods", namespace: "otel" })
    await core.listNamespacedPod({ namespace: "otel" })
  })

  it("answers 401 without the required bearer token", async () => {
    server.requireToken("another-token")
    const typed = await apiError(core.listNamespacedPod({ namespace: "otel" }))
    // The generated APIs drop the body of a 401.
    expect(typed).toMatchObject({ code: 401, body: undefined })
    const raw = await fetch(`${server.url}/api/v1/pods`, { headers: { Authorization: "Bearer fake-token" } })
    expect(raw.status).toBe(401)
    expect(await raw.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 })
    const w = await watch(kc, "/api/v1/pods", {}, new Recorder<Ev>())
    expect(await w.done).toMatchObject({ statusCode: 401 })

    server.requireToken() // the kubeconfig's token
    await core.listNamespacedPod({ namespace: "otel" })
    expect(server.requests.at(-1)).toMatchObject({ status: 200 })
  })

  it("fails the next requests with failNext()", async () => {
    server.failNext(503, 2, { verb: "list" })
    expect(await apiError(core.listNamespacedPod({ namespace: "otel" }))).toMatchObject({ code: 503, body: { reason: "ServiceUnavailable" } })
    expect(await apiError(core.listNamespacedPod({ namespace: "otel" }))).toMatchObject({ code: 503 })
    await core.listNamespacedPod({ namespace: "otel" })
  })

  it("answers 404 for a custom resource until its type is registered", async () => {
    const path = "/apis/monitoring.coreos.com/v1/namespaces/otel/servicemonitors"
    const missing = await fetch(server.url + path)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404 })
    const viaObjects = await apiError(objects.list("monitoring.coreos.com/v1", "ServiceMonitor", "otel"))
    expect(viaObjects.code).toBe(404)
    expect(viaObjects.message).toMatch(/^Failed to fetch resource metadata for monitoring.coreos.com\/v1\/ServiceMonitor/)
    const w = await watch(kc, path, {}, new Recorder<Ev>())
    expect(await w.done).toMatchObject({ statusCode: 404 })
    const sm: ObjectInput & { spec: unknown } = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { namespace: "otel", name: "sm" }, spec: { endpoints: [] } }
    expect(() => server.create(sm)).toThrow(/register\(\) it first/)

    server.register({ group: "monitoring.coreos.com", version: "v1", plural: "servicemonitors", kind: "ServiceMonitor", namespaced: true })
    server.create(sm)
    const list = await objects.list("monitoring.coreos.com/v1", "ServiceMonitor", "otel")
    expect(list.items).toMatchObject([{ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "sm" }, spec: { endpoints: [] } }])
    const events = new Recorder<Ev>()
    const live = await watch(kc, path, {}, events)
    cleanups.push(() => live.controller.abort())
    expect((await events.count(1, "events"))[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "sm" } } })

    // Deleting the CRD: its watches end, its paths are 404 again.
    server.unregister("monitoring.coreos.com", "v1", "servicemonitors")
    expect(await live.done).toBeNull()
    expect((await fetch(server.url + path)).status).toBe(404)
  })
})

describe("raw HTTP", () => {
  /** The first `n` lines of a streaming answer. */
  const lines = async (res: Response, n: number): Promise<Array<unknown>> => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ""
    while (text.split("\n").length <= n) {
      const chunk = await within(reader.read(), `${n} lines (have ${JSON.stringify(text)})`)
      if (chunk.done) break
      text += chunk.value
    }
    await reader.cancel()
    return text.split("\n").slice(0, n).map((l) => JSON.parse(l))
  }

  it("streams a watch-list (sendInitialEvents) ending with the initial-events-end bookmark", async () => {
    server.load([pod("otel", "a"), pod("otel", "b")])
    const res = await fetch(`${server.url}/api/v1/namespaces/otel/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`)
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(await lines(res, 3)).toEqual([
      { type: "ADDED", object: expect.objectContaining({ kind: "Pod", metadata: expect.objectContaining({ name: "a" }) }) },
      { type: "ADDED", object: expect.objectContaining({ metadata: expect.objectContaining({ name: "b" }) }) },
      { type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: server.resourceVersion, annotations: { "k8s.io/initial-events-end": "true" } } } }
    ])
  })

  it("creates, reads, replaces and deletes through client-node's KubernetesObjectApi", async () => {
    const created = await objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { k: "v" } } as k8s.KubernetesObject)
    // The kubeconfig context's namespace is filled in by client-node; the server assigns rv, uid, creationTimestamp.
    expect(created.metadata).toMatchObject({ namespace: "otel", name: "cm", resourceVersion: server.resourceVersion })
    expect(created.metadata?.uid).toBeTruthy()
    const read = await objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "otel", name: "cm" } })
    expect(read).toMatchObject({ data: { k: "v" } })
    const replaced = await objects.replace({ ...read, data: { k: "w" } } as k8s.KubernetesObject)
    expect(replaced).toMatchObject({ data: { k: "w" }, metadata: { uid: created.metadata?.uid } })
    // A replace with a stale resourceVersion conflicts.
    expect(await apiError(objects.replace({ ...read, data: { k: "x" } } as k8s.KubernetesObject))).toMatchObject({ code: 409, body: { reason: "Conflict" } })
    await objects.delete({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "otel", name: "cm" } })
    expect(server.get("v1", "ConfigMap", "otel", "cm")).toBeUndefined()
    expect(await apiError(objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "otel", name: "cm" } })))
      .toMatchObject({ code: 404, body: { reason: "NotFound", message: `configmaps "cm" not found`, details: { name: "cm", kind: "configmaps" } } })
  })
})

describe("stop() and start()", () => {
  it("refuses connections while stopped and comes back on the same port with the same data", async () => {
    server.create(pod("otel", "a"))
    const url = server.url
    const events = new Recorder<Ev>()
    const w = await watch(kc, "/api/v1/pods", { resourceVersion: server.resourceVersion }, events)
    await server.stop()
    // A cut watch is an error to client-node (not a clean end): undici's "terminated".
    expect(await w.done).toMatchObject({ message: "terminated" })
    const refused = await core.listNamespacedPod({ namespace: "otel" }).then(() => undefined, (e: unknown) => e)
    expect(refused).toMatchObject({ cause: { code: "ECONNREFUSED" } })

    server.create(pod("otel", "b"))
    await server.start()
    expect(server.url).toBe(url)
    const list = await core.listNamespacedPod({ namespace: "otel" })
    expect(names(list.items)).toEqual(["a", "b"])
    expect(list.metadata?.resourceVersion).toBe(server.resourceVersion)
  })
})

describe("makeInformer", () => {
  it("receives add, update and delete, resumes after closeWatches() and relists after a 410", async () => {
    server.create(pod("otel", "existing"))
    const path = "/api/v1/namespaces/otel/pods"
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedPod({ namespace: "otel" }))
    const seen = new Recorder<string>()
    informer.on("add", (p) => seen.push(`add ${p.metadata?.name}`))
    informer.on("update", (p) => seen.push(`update ${p.metadata?.name} ${JSON.stringify(p.metadata?.labels ?? {})}`))
    informer.on("delete", (p) => seen.push(`delete ${p.metadata?.name}`))
    informer.on("error", (e) => seen.push(`error ${String(e)}`))
    cleanups.push(() => informer.stop())
    await informer.start()
    await server.waitForWatches(1, path)

    server.create(pod("otel", "new"))
    server.update(pod("otel", "new", { v: "2" }))
    server.delete("v1", "Pod", "otel", "existing")
    await seen.count(4, "informer callbacks")
    expect(seen.items).toEqual(["add existing", "add new", `update new {"v":"2"}`, "delete existing"])
    expect(informer.list("otel").map((p) => p.metadata?.name)).toEqual(["new"])

    // A clean end of the watch: the informer watches again from its last rv; no new list, nothing repeated.
    let since = server.requests.length
    server.closeWatches()
    server.create(pod("otel", "during-reconnect"))
    const rewatch = await server.waitForRequest((r) => r.verb === "watch", { since })
    expect(rewatch.query).toEqual({ watch: "true", resourceVersion: String(Number(server.resourceVersion) - 1) })
    await seen.count(5, "informer callbacks")
    expect(seen.items[4]).toBe("add during-reconnect")
    expect(server.requests.filter((r) => r.verb === "list")).toHaveLength(1)

    // History compacted while it is away: the watch gets 410, the informer lists again and sees what it missed.
    since = server.requests.length
    server.closeWatches()
    server.delete("v1", "Pod", "otel", "new")
    server.compact()
    await seen.count(6, "informer callbacks")
    expect(seen.items[5]).toBe("delete new")
    const relist = await server.waitForRequest((r) => r.verb === "list", { since })
    expect(relist.query).toEqual({})
    await server.waitForRequest((r) => r.verb === "watch" && r.query["resourceVersion"] === server.resourceVersion, { since })
    expect(informer.list("otel").map((p) => p.metadata?.name)).toEqual(["during-reconnect"])
    expect(seen.items).toHaveLength(6)
  })
})
