/**
 * The real server on loopback, polled the way the OpenTelemetry Collector's Prometheus receiver polls it:
 * `/scrape_configs`, then `/jobs/<QueryEscape(job)>/targets?collector_id=<pod>` for every job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Context } from "effect"
import { HttpRouter } from "effect/http"
import { request } from "node:http"
import { Assignments } from "../../layers/allocator/Assignments.ts"
import { routes } from "../../layers/http/routes.ts"
import { SecretsPolicy } from "../../layers/http/SecretsPolicy.ts"
import { queryEscape } from "../../src/http/queryEscape.ts"
import { get, startServer, type RunningServer } from "../support/server.ts"

const collectors = ["collector-0", "collector-1", "collector-2"]
const jobs = ["plain", "serviceMonitor/ns/app/0", "with space", "a+b", "100%", "x&y=z", "ünïcødé/日本"]
const targetsPerJob = 40

const config = `
static_collectors: [${collectors.join(", ")}]
config:
  global: {scrape_interval: 30s}
  scrape_configs:
${jobs.map((job, j) => `    - job_name: ${JSON.stringify(job)}
      static_configs:
        - targets: [${Array.from({ length: targetsPerJob }, (_, i) => `"10.${j}.${i >> 8}.${i & 255}:9100"`).join(", ")}]
          labels: {__meta_team: t${j}}
        - targets: ["10.${j}.0.0:9100"]
          labels: {__meta_team: t${j}}`).join("\n")}
`

/** A GET whose body is returned as sent (still gzipped), with its headers. */
const rawGet = (url: string, encoding: string) =>
  new Promise<{ status: number; headers: Record<string, string | Array<string> | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers: { "accept-encoding": encoding } }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on("error", reject)
    }).on("error", reject).end()
  })

describe("the HTTP API against a collector's polling", () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer(config)
    await server.until((s) => s.ready && s.jobs.size === jobs.length)
  })
  afterAll(() => server.close())

  it("serves /scrape_configs keyed by job name, with defaults filled from global", async () => {
    const res = await get(`${server.url}/scrape_configs`)
    expect(res.status).toBe(200)
    expect(res.type).toBe("application/json")
    const body = JSON.parse(res.body)
    expect(Object.keys(body).sort()).toEqual([...jobs].sort())
    expect(body["plain"]).toMatchObject({ job_name: "plain", scrape_interval: "30s", scrape_timeout: "10s", metrics_path: "/metrics", scheme: "http" })
  })

  it("serves every target exactly once across collectors, for every job, through QueryEscape'd URLs", async () => {
    const jobIndex = JSON.parse((await get(`${server.url}/jobs`)).body) as Record<string, { _link: string }>
    expect(Object.keys(jobIndex).sort()).toEqual([...jobs].sort())
    for (const [j, job] of jobs.entries()) {
      expect(jobIndex[job]!._link).toBe(`/jobs/${queryEscape(job)}/targets`)
      const seen: Array<string> = []
      for (const c of collectors) {
        const res = await get(`${server.url}/jobs/${queryEscape(job)}/targets?collector_id=${c}`)
        expect(res.status).toBe(200)
        expect(res.type).toBe("application/json")
        // fetch asks for gzip, as the collector's Go client does, and decodes it; without it, the same JSON plain.
        expect(res.encoding).toBe("gzip")
        const plain = await get(`${server.url}/jobs/${queryEscape(job)}/targets?collector_id=${c}`, { "accept-encoding": "identity" })
        expect([plain.encoding, plain.body]).toEqual([null, res.body])
        const groups = JSON.parse(res.body) as Array<{ targets: Array<string>; labels: Record<string, string> }>
        for (const g of groups) {
          expect(Object.keys(g).sort()).toEqual(["labels", "targets"])
          expect(g.targets.length).toBe(1)
          expect(g.labels["__meta_team"]).toBe(`t${j}`)
          expect(g.labels["__address__"]).toBe(g.targets[0])
          seen.push(g.targets[0]!)
        }
      }
      // 40 distinct addresses plus one listed twice: the duplicate identity is served once.
      expect(seen.length).toBe(targetsPerJob)
      expect(new Set(seen).size).toBe(targetsPerJob)
    }
  })

  it("answers byte-identical bodies between polls", async () => {
    const url = `${server.url}/jobs/plain/targets?collector_id=collector-1`
    const a = await get(url)
    const b = await get(url)
    expect(a.body).toBe(b.body)
    expect(a.body.length).toBeGreaterThan(2)
  })

  it("answers [] for an unknown job or collector, and for an empty collector_id", async () => {
    for (const path of ["/jobs/nope/targets?collector_id=collector-0", "/jobs/plain/targets?collector_id=nobody", "/jobs/plain/targets?collector_id="]) {
      const res = await get(`${server.url}${path}`)
      expect([res.status, res.type, res.body]).toEqual([200, "application/json", "[]"])
    }
  })

  it("lists every collector with its targets when collector_id is absent", async () => {
    const res = await get(`${server.url}/jobs/${queryEscape("serviceMonitor/ns/app/0")}/targets`)
    const body = JSON.parse(res.body) as Record<string, { _link: string; targets: Array<unknown> }>
    expect(Object.keys(body)).toEqual(collectors)
    expect(Object.values(body).reduce((n, c) => n + c.targets.length, 0)).toBe(targetsPerJob)
    expect(body["collector-0"]!._link).toBe("/jobs/serviceMonitor%2Fns%2Fapp%2F0/targets?collector_id=collector-0")
  })

  it("does not route a job name with a raw slash, and rejects a malformed escape", async () => {
    expect((await get(`${server.url}/jobs/serviceMonitor/ns/targets?collector_id=c`)).status).toBe(404)
    const bad = await get(`${server.url}/jobs/a%zz/targets?collector_id=c`)
    expect(bad.status).toBe(400)
    expect(bad.body).toContain("invalid URL escape")
  })

  it("answers health probes and 404s", async () => {
    expect((await get(`${server.url}/livez`)).status).toBe(200)
    expect((await get(`${server.url}/readyz`)).status).toBe(200)
    const missing = await get(`${server.url}/nope`)
    expect([missing.status, missing.body]).toEqual([404, "404 page not found"])
  })

  it("answers HTTP_SD before the router (the hot path) exactly as the router answers it", async () => {
    const { handler, dispose } = HttpRouter.toWebHandler(routes, { disableLogger: true })
    const services = Context.make(Assignments, { current: server.current }).pipe(Context.add(SecretsPolicy, { reveal: false }))
    try {
      for (const job of jobs) {
        for (const c of [...collectors, "nobody"]) {
          for (const encoding of ["gzip", "identity"]) {
            const path = `/jobs/${queryEscape(job)}/targets?collector_id=${c}`
            const fast = await rawGet(`${server.url}${path}`, encoding)
            const routed = await handler(new Request(`http://127.0.0.1${path}`, { headers: { "accept-encoding": encoding } }), services)
            const headers = (h: (name: string) => string | null | undefined) =>
              ["content-type", "content-encoding", "vary"].map((n) => [n, h(n) ?? null])
            expect(headers((n) => fast.headers[n] as string | undefined)).toEqual(headers((n) => routed.headers.get(n)))
            expect([fast.status, fast.body]).toEqual([routed.status, Buffer.from(await routed.arrayBuffer())])
          }
        }
      }
      // Without collector_id the route is the router's alone: the fast path declines it.
      const all = await get(`${server.url}/jobs/plain/targets`)
      expect(Object.keys(JSON.parse(all.body)).sort()).toEqual(collectors)
    } finally {
      await dispose()
    }
  })

  it("exposes the allocator's metrics", async () => {
    const res = await get(`${server.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.body).toMatch(/opentelemetry_allocator_collectors_allocatable\{strategy="consistent-hashing"\} 3/)
    expect(res.body).toMatch(/opentelemetry_allocator_targets_remaining \d+/)
    expect(res.body).toMatch(new RegExp(`opentelemetry_allocator_targets\\{job_name="plain"\\} ${targetsPerJob + 1}`))
    expect(res.body).toMatch(/opentelemetry_allocator_targets_per_collector\{collector_name="collector-0",strategy="consistent-hashing"\} \d+/)
    expect(res.body).toMatch(/opentelemetry_allocator_targets_unassigned 0/)
    expect(res.body).toMatch(/opentelemetry_allocator_process_targets_duration_seconds_count [1-9]/)
    expect(res.body).toMatch(/opentelemetry_allocator_time_to_allocate_count\{method="SetTargets",strategy="consistent-hashing"\} [1-9]/)
  })
})
