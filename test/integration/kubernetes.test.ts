/**
 * The Kubernetes client layer and collector membership, through the real `@kubernetes/client-node` against the
 * fake API server (a real HTTP server speaking the list/watch protocol on loopback).
 */
import { Effect, Fiber, Stream } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Kubernetes } from "../../layers/kubernetes/Kubernetes.ts"
import { reflect, type ReflectorEvent } from "../../layers/kubernetes/reflector.ts"
import type { Pod } from "../../src/kubernetes/objects.ts"
import { pods } from "../../src/kubernetes/resource.ts"
import { startFakeApiServer, type FakeApiServer } from "../support/fakeApiServer.ts"
import { get, startServer } from "../support/server.ts"

const pod = (name: string, s: { app?: string; ready?: boolean; node?: string; deleting?: boolean } = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "otel",
    labels: { app: s.app ?? "collector" },
    ...(s.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {})
  },
  spec: { nodeName: s.node ?? "node-1" },
  status: {
    phase: "Running",
    startTime: "2026-01-01T00:00:00Z",
    // Unready since long ago: past any grace period.
    conditions: [{ type: "Ready", status: s.ready === false ? "False" : "True", lastTransitionTime: "2026-01-01T00:00:00Z" }]
  }
})

/** Runs the reflector on pods in "otel" through the real client, collecting its events; resolves helpers to wait. */
const reflecting = (api: FakeApiServer) => {
  const seen: Array<ReflectorEvent> = []
  const waiters: Array<() => void> = []
  const fiber = Effect.runFork(
    reflect(pods, { namespace: "otel", labelSelector: "app=collector" }, { initialBackoffMs: 50, maxBackoffMs: 200 }).pipe(
      Stream.runForEach((e) => Effect.sync(() => {
        seen.push(e)
        for (const w of waiters.splice(0)) w()
      })),
      Effect.provide(Kubernetes.layer(api.kubeconfigPath))
    )
  )
  const until = (predicate: (events: ReadonlyArray<ReflectorEvent>) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen.map((e) => e._tag))}`)), 10_000)
      const check = () => (predicate(seen) ? (clearTimeout(timer), resolve()) : waiters.push(check))
      check()
    })
  return { seen, until, stop: () => Effect.runPromise(Fiber.interrupt(fiber)) }
}

const upserted = (events: ReadonlyArray<ReflectorEvent>) =>
  events.flatMap((e) => (e._tag === "Upserted" ? [e.object.metadata.name] : []))
const deleted = (events: ReadonlyArray<ReflectorEvent>) =>
  events.flatMap((e) => (e._tag === "Deleted" ? [e.object.metadata.name] : []))

describe("the Kubernetes client layer against a real API protocol", () => {
  let api: FakeApiServer
  beforeEach(async () => {
    api = await startFakeApiServer()
  })
  afterEach(() => api.close())

  it("lists every page, then follows additions, updates and deletions", async () => {
    for (let i = 0; i < 620; i++) api.create(pod(`c-${String(i).padStart(3, "0")}`))
    api.create(pod("web", { app: "web" }))
    const r = reflecting(api)
    await r.until((es) => es.some((e) => e._tag === "Synced"), "the initial list")
    expect(new Set(upserted(r.seen)).size).toBe(620)
    expect(api.requests.filter((q) => q.verb === "list").length).toBe(2) // 500 + 120
    await api.waitForWatches(1)
    api.create(pod("new"))
    api.update(pod("c-000", { node: "node-2" }))
    api.delete("v1", "Pod", "otel", "c-001")
    await r.until((es) => deleted(es).includes("c-001"), "the deletion")
    expect(upserted(r.seen).slice(-2)).toEqual(["new", "c-000"])
    await r.stop()
  })

  it("keeps no managedFields, from the list or from the watch, and everything else", async () => {
    // As a real API server sends them: server-side apply's bookkeeping, often a third of the object.
    const managed = (p: Pod): Pod => ({
      ...p,
      metadata: { ...p.metadata, managedFields: [{ manager: "kubelet", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { "f:status": {} } }] } as Pod["metadata"]
    })
    api.create(managed(pod("listed")))
    const r = reflecting(api)
    await r.until((es) => es.some((e) => e._tag === "Synced"), "the initial list")
    await api.waitForWatches(1)
    api.create(managed(pod("watched", { node: "node-2" })))
    await r.until((es) => upserted(es).includes("watched"), "the watched pod")
    const objects = r.seen.flatMap((e) => (e._tag === "Upserted" ? [e.object as Pod] : []))
    expect(objects.map((o) => o.metadata.name)).toEqual(["listed", "watched"])
    for (const o of objects) {
      expect(o.metadata).not.toHaveProperty("managedFields")
      expect(o.metadata).toMatchObject({ namespace: "otel", labels: { app: "collector" } })
      expect(o.spec?.nodeName).toBe(o.metadata.name === "listed" ? "node-1" : "node-2")
      expect(o.status?.phase).toBe("Running")
    }
    await r.stop()
  })

  it("resumes a dropped watch from its resourceVersion, missing nothing, listing nothing again", async () => {
    api.create(pod("a"))
    const r = reflecting(api)
    await r.until((es) => es.some((e) => e._tag === "Synced"), "the initial list")
    await api.waitForWatches(1)
    api.closeWatches()
    api.create(pod("b"))
    await r.until((es) => upserted(es).includes("b"), "the pod added while the watch was down")
    const watches = api.requests.filter((q) => q.verb === "watch")
    expect(watches.length).toBe(2)
    expect(Number(watches[1]!.query["resourceVersion"])).toBeGreaterThan(Number(watches[0]!.query["resourceVersion"]) - 1)
    expect(api.requests.filter((q) => q.verb === "list").length).toBe(1)
    await r.stop()
  })

  for (const form of ["event", "status"] as const) {
    it(`relists after 410 Gone (${form === "event" ? "an ERROR event" : "an HTTP 410"}) and reports deletions made in the gap`, async () => {
      api.expiredWatch = form
      api.create(pod("a"))
      api.create(pod("b"))
      const r = reflecting(api)
      await r.until((es) => es.some((e) => e._tag === "Synced"), "the initial list")
      await api.waitForWatches(1)
      await api.stop()
      api.delete("v1", "Pod", "otel", "a")
      api.create(pod("c"))
      api.compact()
      await api.start()
      await r.until((es) => es.filter((e) => e._tag === "Synced").length === 2, "the relist")
      expect(deleted(r.seen)).toEqual(["a"])
      expect(upserted(r.seen)).toContain("c")
      await r.stop()
    })
  }

  it("names the missing permission when RBAC forbids the list", async () => {
    api.deny({ verb: "list", resource: "pods", namespace: "otel" })
    const r = reflecting(api)
    await r.until((es) => es.some((e) => e._tag === "Failed"), "a failure")
    const failure = r.seen.find((e) => e._tag === "Failed")!
    expect(failure._tag === "Failed" && failure.error._tag).toBe("Forbidden")
    expect(failure._tag === "Failed" && failure.error.message).toMatch(/not allowed to list pods in namespace "otel".*cannot list resource "pods".*grant the allocator's service account "list"/)
    api.allow()
    await r.until((es) => es.some((e) => e._tag === "Synced"), "recovery once allowed")
    await r.stop()
  })

  it("retries an API server unreachable at start, then recovers when it appears", async () => {
    api.create(pod("a"))
    await api.stop()
    const r = reflecting(api)
    await r.until((es) => es.filter((e) => e._tag === "Failed").length >= 3, "three failed attempts")
    const failures = r.seen.flatMap((e) => (e._tag === "Failed" ? [e] : []))
    expect(failures.every((f) => f.error._tag === "Unreachable")).toBe(true)
    expect(failures[0]!.error.message).toContain(`cannot reach the API server at ${api.url}`)
    expect(failures[1]!.retryInMs).toBeGreaterThan(failures[0]!.retryInMs)
    await api.start()
    await r.until((es) => es.some((e) => e._tag === "Synced"), "recovery")
    expect(upserted(r.seen)).toEqual(["a"])
    await r.stop()
  })
})

describe("collector membership from the API server, end to end", () => {
  let api: FakeApiServer
  beforeEach(async () => {
    api = await startFakeApiServer()
  })
  afterEach(() => api.close())

  it("serves exactly the ready collector pods, and follows them as they change", async () => {
    api.load([pod("c-0"), pod("c-1", { node: "node-2" }), pod("unready", { ready: false }), pod("gone", { deleting: true }), pod("web", { app: "web" })])
    const server = await startServer(`
collector_namespace: otel
collector_selector:
  matchExpressions: [{key: app, operator: In, values: [collector]}]
kube_config_file_path: ${api.kubeconfigPath}
config:
  scrape_configs:
    - job_name: static
      static_configs: [{targets: ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"]}]
`, { membershipCoalesceMs: 100 })
    try {
      const collectorsServed = async () => Object.keys(JSON.parse((await get(`${server.url}/jobs/static/targets`)).body) as object).sort()
      await server.until((s) => s.ready && s.collectors.length === 2)
      expect(await collectorsServed()).toEqual(["c-0", "c-1"])

      api.create(pod("c-2"))
      api.delete("v1", "Pod", "otel", "c-0")
      await server.until((s) => s.collectors.map((c) => c.name).join() === "c-1,c-2")
      expect(await collectorsServed()).toEqual(["c-1", "c-2"])
      const body = JSON.parse((await get(`${server.url}/jobs/static/targets`)).body) as Record<string, { targets: Array<unknown> }>
      expect(Object.values(body).reduce((n, c) => n + c.targets.length, 0)).toBe(3)
    } finally {
      await server.close()
    }
  })
})

