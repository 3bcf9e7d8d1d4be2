import { describe, expect, it } from "vitest"
import { run, startCli, threeMechanismsConfig, webService, writeTemp } from "../support/cli.ts"
import { startFakeApiServer } from "../support/fakeApiServer.ts"

const good = `
static_collectors: [c0, c1]
config:
  scrape_configs:
    - job_name: api
      static_configs: [{targets: ["10.0.0.1:80", "10.0.0.2:80"]}]
`

describe("the target-allocator command", () => {
  it("refuses a bad file with exit code 1 and a message naming the path, the value and what was expected", async () => {
    const path = writeTemp("bad.yaml", `
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: api
      scrape_interval: often
`)
    const r = await run(["--config-file", path, "--listen-addr", "127.0.0.1:0"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`invalid configuration in ${path}:`)
    expect(r.stderr).toContain(`config.scrape_configs[0].scrape_interval (job "api"): expected a duration such as "30s", "1m30s" or "1d", got "often"`)
    expect(r.stdout).not.toContain("Listening")
  })

  it("refuses a missing file", async () => {
    const r = await run(["--config-file", "/nonexistent/targetallocator.yaml"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("cannot read the file")
  })

  it("refuses a flag for a feature not built yet, and starts nothing", async () => {
    const r = await run(["--config-file", writeTemp("ta.yaml", good), "--enable-prometheus-cr-watcher", "--listen-addr", "127.0.0.1:0"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("not supported yet")
  })

  it("lists upstream's flags in --help", async () => {
    const r = await run(["--help"])
    for (const flag of ["--config-file", "--listen-addr", "--kubeconfig-path", "--enable-prometheus-cr-watcher", "--enable-https-server",
      "--listen-addr-https", "--https-ca-file", "--https-tls-cert-file", "--https-tls-key-file", "--allow-insecure-auth-secrets", "--log-level"]) {
      expect(r.stdout).toContain(flag)
    }
  })

  it("serves on 127.0.0.1:0 with the flag overriding the file, and exits 0 on SIGTERM", async () => {
    const path = writeTemp("ta.yaml", `listen_addr: "127.0.0.1:1"\n${good}`)
    const { child, url, done } = await startCli(["--config-file", path, "--listen-addr", "127.0.0.1:0"], { OTELCOL_NAMESPACE: "otel" })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url).not.toBe("http://127.0.0.1:1")
    // Listening comes before the first configuration is applied: until then /scrape_configs answers 503.
    while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 20))
    const res = await fetch(`${url}/scrape_configs`)
    expect(Object.keys(await res.json() as object)).toEqual(["api"])
    child.kill("SIGTERM")
    expect((await done).code).toBe(0)
  })

  it("check config: accepts a valid Prometheus config, refuses a bad one with every problem, exit 1", async () => {
    const ok = await run(["check", "config", writeTemp("prometheus.yml", `
scrape_configs:
  - job_name: a
    static_configs: [{targets: ["a:1"]}]
`)])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("valid prometheus config with 1 scrape configs")
    const bad = await run(["check", "config", writeTemp("prometheus.yml", `
scrape_configs:
  - job_name: a
    relabel_configs: [{action: hashmod, target_label: t}]
  - job_name: b
    scrape_interval: 5s
    scrape_timeout: 10s
`)])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(`scrape_configs[0].relabel_configs[0] (job "a"): relabel configuration for hashmod requires non-zero modulus`)
    expect(bad.stderr).toContain(`scrape_configs[1].scrape_timeout (job "b"): scrape timeout greater than scrape interval for scrape config with job name "b"`)
  })

  it("check service-discovery: prints each target before and after relabeling, as promtool does", async () => {
    const path = writeTemp("prometheus.yml", `
scrape_configs:
  - job_name: j
    static_configs: [{targets: ["keep:1", "drop:2"], labels: {__meta_team: a}}]
    relabel_configs:
      - {source_labels: [__address__], regex: "drop:.*", action: drop}
      - {source_labels: [__meta_team], target_label: team}
`)
    const r = await run(["check", "service-discovery", path, "j"])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as Array<{ discoveredLabels: Record<string, string>; labels: Record<string, string> }>
    expect(out.map((t) => t.discoveredLabels["__address__"])).toEqual(["keep:1", "drop:2"])
    expect(out[0]!.labels).toMatchObject({ __address__: "keep:1", instance: "keep:1", job: "j", team: "a" })
    expect(out[0]!.labels["__meta_team"]).toBeUndefined()
    expect(out[1]!.labels).toEqual({})
    const missing = await run(["check", "service-discovery", path, "nope"])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`job "nope" not found`)
  })

  it("check service-discovery: waits for every mechanism's initial sync, and reports one that does not answer in time", async () => {
    const api = await startFakeApiServer({ objects: [webService] })
    try {
      const path = threeMechanismsConfig({
        kubeconfigPath: api.kubeconfigPath,
        targetsFile: writeTemp("targets.json", `[{"targets": ["file:9"]}]`),
        httpSdUrl: "http://127.0.0.1:1/sd"
      })
      const r = await run(["check", "service-discovery", "--timeout", "3s", path, "j"])
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as Array<{ discoveredLabels: Record<string, string> }>
      expect(out.map((t) => t.discoveredLabels["__address__"]).sort()).toEqual(["file:9", "web.apps.svc:80"])
      expect(r.stderr).toContain(`WARNING: http_sd_configs/0 of job "j" did not answer within 3s`)
    } finally {
      await api.close()
    }
  })

  it("allocate: prints who would scrape what, from static and file_sd targets, over N collectors or a list", async () => {
    const targets = writeTemp("targets.json", `[{"targets": ["10.1.0.1:80", "10.1.0.2:80"], "labels": {"__meta_kubernetes_pod_node_name": "n1"}}]`)
    const path = writeTemp("targetallocator.yaml", `
static_collectors: [c0, c1]
config:
  scrape_configs:
    - job_name: static
      static_configs: [{targets: ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "drop:80"]}]
      relabel_configs: [{source_labels: [__address__], regex: "drop:80", action: drop}]
    - job_name: files
      file_sd_configs: [{files: ["${targets}"]}]
`)
    type Plan = { collectors: Record<string, Record<string, Array<string>>>; unassigned: Record<string, Array<string>> }
    const served = (plan: Plan) => Object.values(plan.collectors).flatMap((byJob) => Object.entries(byJob).flatMap(([job, as]) => as.map((a) => `${job}|${a}`))).sort()

    const byCount = await run(["allocate", "--config-file", path, "--collectors", "4"])
    expect(byCount.code).toBe(0)
    const plan = JSON.parse(byCount.stdout) as Plan
    expect(Object.keys(plan.collectors)).toEqual(["collector-0", "collector-1", "collector-2", "collector-3"])
    expect(served(plan)).toEqual(["files|10.1.0.1:80", "files|10.1.0.2:80", "static|10.0.0.1:80", "static|10.0.0.2:80", "static|10.0.0.3:80"])
    expect(plan.unassigned).toEqual({})

    // The config's static collectors by default; per-node places by the node label and leaves the rest unassigned.
    const perNode = JSON.parse((await run(["allocate", "--config-file", path, "--collectors", "a@n1,b@n2", "--strategy", "per-node"])).stdout) as Plan
    expect(perNode.collectors).toEqual({ a: { files: ["10.1.0.1:80", "10.1.0.2:80"] }, b: {} })
    expect(perNode.unassigned).toEqual({ static: ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"] })
    const defaults = JSON.parse((await run(["allocate", "--config-file", path])).stdout) as Plan
    expect(Object.keys(defaults.collectors)).toEqual(["c0", "c1"])

    const bad = await run(["allocate", "--config-file", path, "--collectors", "0"])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(`--collectors: expected a number or a comma-separated list of names, got "0"`)
  })
})
