/**
 * Two real Prometheus servers consume the allocator's HTTP_SD endpoints the way the OpenTelemetry Collector's
 * Prometheus receiver does: each reads `/scrape_configs`, keeps every job with its relabel rules, and discovers the
 * job's targets only through `/jobs/<QueryEscape(job)>/targets?collector_id=<its id>`.
 *
 * The allocator serves pre-relabel labels (`__meta_*` included) and Prometheus applies the job's rules itself, so
 * what each Prometheus ends up scraping, and with which labels, is the end-to-end result. Whether the allocator
 * already filters out the target the rules drop (`filter_strategy: relabel-config`) or serves it and lets
 * Prometheus drop it, the assertions are the same: every kept target is scraped by exactly one Prometheus, and the
 * dropped one by none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { queryEscape } from "../../src/http/queryEscape.ts"
import {
  httpSdUrl, pollUntil, prometheusBinary, prometheusConfigFromAllocator, startPrometheus, startTargetServer,
  stopAllPrometheus, targetMetric, type ActiveTarget, type RunningPrometheus, type TargetServer, type TargetsResponse
} from "../support/prometheus.ts"
import { get, startServer, type RunningServer } from "../support/server.ts"

const collectors = ["prom-a", "prom-b"] as const
type CollectorId = typeof collectors[number]

const appJob = "serviceMonitor/default/app 1/0" // a slash and a space: `serviceMonitor%2Fdefault%2Fapp+1%2F0`
const nodeJob = "node-exporter"
const probeJob = "probe+x=y&z" // `+`, `=` and `&` must be escaped too, or they end the job name or the query
const jobs = [appJob, nodeJob, probeJob]

/** `[job, target server index, labels Prometheus should end up with besides job and instance]` */
type Expected = readonly [job: string, server: number, labels: Record<string, string>]

const allocatorConfig = (t: ReadonlyArray<TargetServer>) => {
  const a = (i: number) => JSON.stringify(t[i]!.address)
  return `
static_collectors: [${collectors.join(", ")}]
filter_strategy: relabel-config
config:
  global: {scrape_interval: 30s, scrape_timeout: 10s}
  scrape_configs:
    - job_name: ${JSON.stringify(appJob)}
      scrape_interval: 15s
      static_configs:
        - targets: [${a(0)}, ${a(1)}, ${a(2)}]
          labels: {__meta_kubernetes_namespace: default, __meta_team_owner: alice, __meta_team_tier: backend}
        - targets: [${a(3)}]
          labels: {__meta_kubernetes_namespace: default, __meta_team_owner: bob}
        - targets: [${a(4)}]
          labels: {__meta_kubernetes_namespace: kube-system, __meta_team_owner: carol}
      relabel_configs:
        - source_labels: [__meta_kubernetes_namespace]
          regex: kube-system
          action: drop
        - source_labels: [__meta_kubernetes_namespace]
          target_label: namespace
          action: replace
        - regex: __meta_team_(.+)
          replacement: team_$1
          action: labelmap
    - job_name: ${JSON.stringify(nodeJob)}
      static_configs:
        - targets: [${a(5)}, ${a(6)}, ${a(7)}]
          labels: {__meta_env: e2e, rack: r1}
      relabel_configs:
        - regex: __meta_(env)
          action: labelmap
        - source_labels: [__address__]
          regex: '127\\.0\\.0\\.1:(\\d+)'
          target_label: port
    - job_name: ${JSON.stringify(probeJob)}
      metrics_path: /probe/metrics
      params: {module: [e2e]}
      static_configs:
        - targets: [${a(0)}, ${a(5)}]
`
}

const droppedServer = 4
const expectedKept = (t: ReadonlyArray<TargetServer>): ReadonlyArray<Expected> => [
  [appJob, 0, { namespace: "default", team_owner: "alice", team_tier: "backend" }],
  [appJob, 1, { namespace: "default", team_owner: "alice", team_tier: "backend" }],
  [appJob, 2, { namespace: "default", team_owner: "alice", team_tier: "backend" }],
  [appJob, 3, { namespace: "default", team_owner: "bob" }],
  ...[5, 6, 7].map((i): Expected => [nodeJob, i, { env: "e2e", rack: "r1", port: t[i]!.address.split(":")[1]! }]),
  [probeJob, 0, {}],
  [probeJob, 5, {}]
]

const key = (job: string, address: string) => `${job} ${address}`
const activeKey = (a: ActiveTarget) => key(a.scrapePool, a.labels["instance"] ?? "?")
const upKeys = (r: TargetsResponse) => r.activeTargets.filter((a) => a.health === "up").map(activeKey)

interface HttpSdGroup {
  readonly targets: ReadonlyArray<string>
  readonly labels: Record<string, string>
}

const available = prometheusBinary.available
const title = "two real Prometheus servers consuming the HTTP_SD endpoints" +
  (prometheusBinary.available ? ` (prometheus ${prometheusBinary.version})` : ` (skipped: ${prometheusBinary.reason})`)

describe.skipIf(!available)(title, () => {
  const servers: Array<TargetServer> = []
  const proms = new Map<CollectorId, RunningPrometheus>()
  let ta: RunningServer | undefined
  let kept: ReadonlyArray<Expected> = []
  /** What the allocator serves each collector, per job, read after convergence. */
  const shares = new Map<CollectorId, Map<string, ReadonlyArray<HttpSdGroup>>>()
  const final = new Map<CollectorId, TargetsResponse>()

  const logs = () => [...proms.values()].map((p) => p.log()).join("\n")
  const dropped = () => servers[droppedServer]!.address

  beforeAll(async () => {
    for (let i = 0; i < 8; i++) servers.push(await startTargetServer(`t${i}`, 100 + i))
    kept = expectedKept(servers)

    ta = await startServer(allocatorConfig(servers))
    await ta.until((s) => s.ready && s.jobs.size === jobs.length)

    // Each Prometheus's configuration is derived from the allocator's own /scrape_configs, as the receiver does.
    await Promise.all(collectors.map(async (c) => {
      const config = await prometheusConfigFromAllocator(ta!.url, c, { scrapeInterval: "1s", scrapeTimeout: "1s", refreshInterval: "1s" })
      proms.set(c, await startPrometheus({ name: c, config }))
    }))

    // Prometheus 2.42 hands discovered targets to the scrape manager at most every 5 s, whatever refresh_interval
    // is: wait until every kept target is up somewhere.
    const want = kept.map(([job, i]) => key(job, servers[i]!.address))
    await pollUntil({
      what: "every kept target to be up in one of the Prometheus servers",
      probe: async () => {
        const out: Record<string, Array<string>> = {}
        for (const [c, p] of proms) out[c] = upKeys(await p.targets())
        return out
      },
      done: (up) => want.every((k) => Object.values(up).some((ks) => ks.includes(k))),
      timeoutMs: 40_000,
      intervalMs: 250,
      diagnostics: () => `--- want up: ${JSON.stringify(want)}\n${logs()}`
    })

    for (const c of collectors) {
      const perJob = new Map<string, ReadonlyArray<HttpSdGroup>>()
      for (const job of jobs) {
        const res = await get(httpSdUrl(ta.url, job, c))
        expect(res.status).toBe(200)
        perJob.set(job, JSON.parse(res.body) as ReadonlyArray<HttpSdGroup>)
      }
      shares.set(c, perJob)
      final.set(c, await proms.get(c)!.targets())
    }
  }, 55_000)

  afterAll(async () => {
    await stopAllPrometheus()
    await ta?.close()
    await Promise.all(servers.map((s) => s.close()))
  })

  it("builds each Prometheus's jobs from /scrape_configs, discovering only through the QueryEscape'd HTTP_SD URL", () => {
    for (const c of collectors) {
      const config = JSON.parse(proms.get(c)!.configText) as { scrape_configs: ReadonlyArray<Record<string, unknown>> }
      expect(config.scrape_configs.map((sc) => sc["job_name"]).sort()).toEqual([...jobs].sort())
      for (const sc of config.scrape_configs) {
        expect(Object.keys(sc).filter((k) => k.endsWith("_sd_configs") || k === "static_configs")).toEqual(["http_sd_configs"])
        const job = sc["job_name"] as string
        expect(sc["http_sd_configs"]).toEqual([{ url: `${ta!.url}/jobs/${queryEscape(job)}/targets?collector_id=${c}`, refresh_interval: "1s", follow_redirects: false }])
      }
      const app = config.scrape_configs.find((sc) => sc["job_name"] === appJob)!
      expect(String((app["http_sd_configs"] as Array<{ url: string }>)[0]!.url)).toContain("/jobs/serviceMonitor%2Fdefault%2Fapp+1%2F0/targets?")
      expect((app["relabel_configs"] as ReadonlyArray<{ action: string }>).map((r) => r.action)).toEqual(["drop", "replace", "labelmap"])
      const probe = config.scrape_configs.find((sc) => sc["job_name"] === probeJob)!
      expect([probe["metrics_path"], probe["params"]]).toEqual(["/probe/metrics", { module: ["e2e"] }])
    }
  })

  it("has every kept target active and up in exactly one Prometheus, and the dropped target in neither", () => {
    const where = new Map<string, Array<string>>()
    for (const [c, r] of final) {
      for (const a of r.activeTargets) {
        expect({ target: activeKey(a), health: a.health, lastError: a.lastError }).toEqual({ target: activeKey(a), health: "up", lastError: "" })
        where.set(activeKey(a), [...(where.get(activeKey(a)) ?? []), c])
      }
    }
    const want = kept.map(([job, i]) => key(job, servers[i]!.address)).sort()
    expect([...where.keys()].sort()).toEqual(want)
    for (const k of want) expect([k, where.get(k)?.length]).toEqual([k, 1])
    for (const r of final.values()) {
      expect(r.activeTargets.filter((a) => a.discoveredLabels["__address__"] === dropped() && a.scrapePool === appJob)).toEqual([])
    }
    // The dropped target's server is in no other job, so nothing ever scraped it.
    expect(servers[droppedServer]!.scrapes()).toEqual([])
  })

  it("relabels as the job's rules say: replace, labelmap, job and instance", () => {
    const byKey = new Map<string, ActiveTarget>()
    for (const r of final.values()) for (const a of r.activeTargets) byKey.set(activeKey(a), a)
    for (const [job, i, labels] of kept) {
      const address = servers[i]!.address
      const a = byKey.get(key(job, address))!
      expect(a.labels).toEqual({ job, instance: address, ...labels })
      expect(a.scrapeUrl).toBe(job === probeJob ? `http://${address}/probe/metrics?module=e2e` : `http://${address}/metrics`)
    }
    // Prometheus saw the pre-relabel labels the allocator serves, `__meta_*` included.
    const app0 = byKey.get(key(appJob, servers[0]!.address))!
    expect(app0.discoveredLabels).toMatchObject({
      __address__: servers[0]!.address,
      __meta_kubernetes_namespace: "default",
      __meta_team_owner: "alice",
      __meta_team_tier: "backend"
    })
  })

  it("scrapes what the allocator serves each collector: its Prometheus's active targets are its HTTP_SD share", () => {
    const servedEverywhere: Array<string> = []
    for (const c of collectors) {
      const prom = final.get(c)!
      const served: Array<string> = []
      for (const job of jobs) {
        for (const g of shares.get(c)!.get(job)!) {
          expect(g.targets.length).toBe(1)
          served.push(key(job, g.targets[0]!))
        }
      }
      servedEverywhere.push(...served)
      const droppedKey = key(appJob, dropped())
      expect(prom.activeTargets.map(activeKey).sort()).toEqual(served.filter((k) => k !== droppedKey).sort())
      // Every active target came from this collector's own URL.
      for (const a of prom.activeTargets) expect(a.discoveredLabels["__meta_url"]).toBe(httpSdUrl(ta!.url, a.scrapePool, c))
      // Until the allocator filters by relabel rules, it serves the dropped target and Prometheus drops it; after,
      // it serves it to nobody. Either way Prometheus lists it as dropped exactly when it was served.
      const listedDropped = prom.droppedTargets.some((d) => d.discoveredLabels["__address__"] === dropped() && d.discoveredLabels["job"] === appJob)
      expect([c, listedDropped]).toEqual([c, served.includes(droppedKey)])
    }
    // No target is served to both collectors.
    expect(new Set(servedEverywhere).size).toBe(servedEverywhere.length)
  })

  it("stores each target's own samples in the Prometheus that scrapes it, and only there", async () => {
    const wantBy = new Map<CollectorId, Array<string>>()
    for (const [c, r] of final) {
      wantBy.set(c, r.activeTargets.map((a) => {
        const server = servers.find((s) => s.address === a.labels["instance"])!
        return `${a.scrapePool} ${server.address} ${server.value}`
      }).sort())
    }
    for (const [c, p] of proms) {
      const samples = await pollUntil({
        what: `${c}: one ${targetMetric} series per active target`,
        probe: () => p.query(targetMetric),
        done: (rs) => rs.length === wantBy.get(c)!.length,
        timeoutMs: 10_000,
        diagnostics: p.log
      })
      expect(samples.map((s) => `${s.metric["job"]} ${s.metric["instance"]} ${s.value[1]}`).sort()).toEqual(wantBy.get(c))
    }
    for (const [, i] of kept) {
      const s = servers[i]!
      expect(s.scrapes().length).toBeGreaterThan(0)
      for (const scrape of s.scrapes()) expect(scrape.userAgent).toMatch(/^Prometheus\//)
    }
    expect(servers[0]!.scrapes().some((s) => s.url === "/probe/metrics?module=e2e")).toBe(true)
  })
})
