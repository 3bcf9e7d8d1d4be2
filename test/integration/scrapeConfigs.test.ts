/**
 * `/scrape_configs` of a rich configuration: the document the Collector's Prometheus library must accept (one
 * invalid job makes every collector drop the whole update), with secrets redacted, gzip when asked, and what
 * promtool says of it.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { get } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Providers } from "../../layers/discovery/Providers.ts"
import { keysAfter242, promtool, promtoolAvailable, promtoolVersion } from "../support/promtool.ts"
import { startServer, type RunningServer } from "../support/server.ts"

const dir = mkdtempSync(join(tmpdir(), "ta-scrape-configs-"))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const caFile = file("ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
const certFile = file("cert.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
const keyFile = file("key.pem", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")
const tokenFile = file("token", "t0ken\n")

const config = (extra = "") => `
static_collectors: [c0, c1]
${extra}
config:
  global:
    scrape_interval: 15s
    scrape_timeout: 5s
    external_labels: {cluster: test}
  scrape_configs:
    - job_name: basic
      static_configs: [{targets: ["10.0.0.1:9100"], labels: {env: prod}}]
      basic_auth: {username: admin, password: hunter2}
      sample_limit: 5000
      label_limit: 64
      body_size_limit: 10MB
      params: {module: [http_2xx], extra: [a, b]}
    - job_name: bearer
      scheme: https
      metrics_path: /federate
      honor_labels: true
      bearer_token: s3cr3t-t0ken
      tls_config: {ca_file: ${caFile}, cert_file: ${certFile}, key_file: ${keyFile}, server_name: example, min_version: TLS12}
      static_configs: [{targets: ["10.0.0.2:443"]}]
    - job_name: token-file
      authorization: {credentials_file: ${tokenFile}}
      proxy_url: http://user:proxypass@proxy.example:3128
      static_configs: [{targets: ["10.0.0.3:80"]}]
    - job_name: oauth
      oauth2: {client_id: id, client_secret: oauth-secret, token_url: "https://auth.example/token", scopes: [a, b]}
      static_configs: [{targets: ["10.0.0.4:80"]}]
    - job_name: "serviceMonitor/ns/app/0"
      scrape_interval: 30s
      static_configs: [{targets: ["10.0.0.5:8080"], labels: {__meta_kubernetes_namespace: ns}}]
      relabel_configs:
        - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
        - {source_labels: [__address__], regex: "(.*):8080", replacement: "\${1}:9090", target_label: __address__}
        - {source_labels: [namespace], regex: kube-.*, action: drop}
        - {source_labels: [namespace], regex: ns, action: keep}
        - {source_labels: [__address__], modulus: 4, target_label: __tmp_hash, action: hashmod}
        - {source_labels: [__tmp_hash], regex: "$(SHARD)", action: keep}
        - {regex: __meta_kubernetes_(.+), replacement: k8s_\$1, action: labelmap}
        - {regex: k8s_node, action: labeldrop}
        - {regex: (.+), action: labelkeep}
        - {source_labels: [namespace], target_label: ns_upper, action: uppercase}
        - {source_labels: [ns_upper], target_label: ns_lower, action: lowercase}
        - {source_labels: [namespace], target_label: ns_lower, action: keepequal}
        - {source_labels: [namespace], target_label: job, action: dropequal}
        - {target_label: empty_rep, replacement: ""}
      metric_relabel_configs:
        - {source_labels: [__name__], regex: "go_.*", action: drop}
        - {source_labels: [a], target_label: b, action: keepequal}
    - job_name: discovered
      file_sd_configs: [{files: ["${dir}/sd/*.json"]}, {files: ["${dir}/sd/*.yml"], refresh_interval: 90s}]
      http_sd_configs:
        - {url: "http://127.0.0.1:1/sd", basic_auth: {username: sd, password: sd-pass}, tls_config: {insecure_skip_verify: true}}
      dns_sd_configs:
        - {names: [_m._tcp.example.org]}
        - {names: [db.example.org], type: A, port: 5432, refresh_interval: 1m30s}
`

/** The same configuration with a kubernetes_sd job, which Debian's promtool cannot read (no Kubernetes discovery). */
const withKubernetes = config(`
kube_config_file_path: /dev/null
`).replace("  scrape_configs:\n", `  scrape_configs:
    - job_name: kube
      kubernetes_sd_configs:
        - {role: pod}
        - role: endpoints
          api_server: https://user:kpass@kube.example:6443
          authorization: {credentials: kube-token}
          namespaces: {names: [a, b]}
          selectors: [{role: pod, label: "app=web"}]
          attach_metadata: {node: true}
        - {role: service, kubeconfig_file: /etc/kubeconfig}
        - {role: node, namespaces: {own_namespace: true}}
`)

describe("/scrape_configs", () => {
  let server: RunningServer
  let insecure: RunningServer
  let kube: RunningServer
  // Only the rendering is under test: discovery runs static configs alone, so nothing leaves the machine.
  const overrides = { providers: Providers.staticOnly }
  beforeAll(async () => {
    server = await startServer(config(), overrides)
    insecure = await startServer(config("allow_insecure_auth_secrets: true"), overrides)
    kube = await startServer(withKubernetes, overrides)
    await server.until((s) => s.ready)
    await insecure.until((s) => s.ready)
    await kube.until((s) => s.ready)
  })
  afterAll(async () => {
    await server.close()
    await insecure.close()
    await kube.close()
  })

  const fetchJson = async (s: RunningServer) => {
    const res = await fetch(`${s.url}/scrape_configs`)
    return { res, text: await res.text() }
  }

  it("is keyed by job name, with keys sorted at every level and defaults filled", async () => {
    const { res, text } = await fetchJson(server)
    expect(res.headers.get("content-type")).toBe("application/json")
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(["basic", "bearer", "discovered", "oauth", "serviceMonitor/ns/app/0", "token-file"])
    const sortedDeep = (v: unknown): boolean =>
      v === null || typeof v !== "object" ? true
        : Array.isArray(v) ? v.every(sortedDeep)
          : Object.keys(v).join() === Object.keys(v).sort().join() && Object.values(v).every(sortedDeep)
    expect(sortedDeep(body)).toBe(true)
    expect(body.basic).toMatchObject({
      job_name: "basic", scrape_interval: "15s", scrape_timeout: "5s", metrics_path: "/metrics", scheme: "http",
      honor_timestamps: true, enable_http2: true, follow_redirects: true, enable_compression: true,
      sample_limit: 5000, label_limit: 64, body_size_limit: "10MiB",
      scrape_protocols: ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"],
      params: { module: ["http_2xx"], extra: ["a", "b"] },
      static_configs: [{ targets: ["10.0.0.1:9100"], labels: { env: "prod" } }]
    })
    expect(body["serviceMonitor/ns/app/0"].scrape_interval).toBe("30s")
  })

  it("writes service-discovery blocks as Prometheus marshals them: durations in Prometheus syntax, defaults filled", async () => {
    const body = JSON.parse((await fetchJson(server)).text)
    expect(body.discovered.file_sd_configs).toEqual([
      { files: [`${dir}/sd/*.json`], refresh_interval: "5m" },
      { files: [`${dir}/sd/*.yml`], refresh_interval: "1m30s" }
    ])
    expect(body.discovered.http_sd_configs).toEqual([{
      url: "http://127.0.0.1:1/sd", refresh_interval: "1m", basic_auth: { username: "sd", password: "<secret>" },
      tls_config: { insecure_skip_verify: true }, follow_redirects: true, enable_http2: true
    }])
    expect(body.discovered.dns_sd_configs).toEqual([
      { names: ["_m._tcp.example.org"], refresh_interval: "30s", type: "SRV", port: 0 },
      { names: ["db.example.org"], refresh_interval: "1m30s", type: "A", port: 5432 }
    ])
  })

  it("writes kubernetes_sd_configs as Prometheus marshals them, the API server's password and token redacted", async () => {
    const text = (await fetchJson(kube)).text
    for (const secret of ["kpass", "kube-token"]) expect(text).not.toContain(secret)
    expect(JSON.parse(text).kube.kubernetes_sd_configs).toEqual([
      { role: "pod", kubeconfig_file: "", follow_redirects: true, enable_http2: true },
      {
        api_server: "https://user:xxxxx@kube.example:6443", role: "endpoints", kubeconfig_file: "",
        authorization: { type: "Bearer", credentials: "<secret>" }, follow_redirects: true, enable_http2: true,
        namespaces: { own_namespace: false, names: ["a", "b"] }, selectors: [{ role: "pod", label: "app=web" }],
        attach_metadata: { node: true, namespace: false, deployment: false, job: false, cronjob: false }
      },
      { role: "service", kubeconfig_file: "/etc/kubeconfig", follow_redirects: true, enable_http2: true },
      { role: "node", kubeconfig_file: "", follow_redirects: true, enable_http2: true, namespaces: { own_namespace: true, names: [] } }
    ])
  })

  it("redacts every secret on plain HTTP, and normalises bearer_token into authorization", async () => {
    const { text } = await fetchJson(server)
    for (const secret of ["hunter2", "s3cr3t-t0ken", "oauth-secret", "proxypass", "sd-pass"]) expect(text).not.toContain(secret)
    const body = JSON.parse(text)
    expect(body.basic.basic_auth).toEqual({ username: "admin", password: "<secret>" })
    expect(body.bearer.authorization).toEqual({ type: "Bearer", credentials: "<secret>" })
    expect(body.bearer.bearer_token).toBeUndefined()
    expect(body["token-file"].authorization).toEqual({ type: "Bearer", credentials_file: tokenFile })
    expect(body["token-file"].proxy_url).toBe("http://user:xxxxx@proxy.example:3128")
    expect(body.oauth.oauth2.client_secret).toBe("<secret>")
  })

  it("serves real secrets only with allow_insecure_auth_secrets", async () => {
    const body = JSON.parse((await fetchJson(insecure)).text)
    expect(body.basic.basic_auth.password).toBe("hunter2")
    expect(body.bearer.authorization.credentials).toBe("s3cr3t-t0ken")
    expect(body.oauth.oauth2.client_secret).toBe("oauth-secret")
  })

  it("writes relabel rules so they read back the same: regex dropped only for keepequal/dropequal, empty replacement kept", async () => {
    const body = JSON.parse((await fetchJson(server)).text)
    const rules = body["serviceMonitor/ns/app/0"].relabel_configs as Array<Record<string, unknown>>
    expect(rules[0]).toEqual({ action: "replace", regex: "(.*)", replacement: "$1", separator: ";", source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" })
    expect(rules.find((r) => r["action"] === "keepequal")).toEqual({ action: "keepequal", replacement: "$1", separator: ";", source_labels: ["namespace"], target_label: "ns_lower" })
    expect(rules.find((r) => r["action"] === "hashmod")!["modulus"]).toBe(4)
    expect(rules.find((r) => r["target_label"] === "empty_rep")!["replacement"]).toBe("")
    expect(rules.find((r) => r["regex"] === "$(SHARD)")).toBeDefined()
  })

  it("is gzipped when the client accepts it, and only then", async () => {
    const plain = await fetch(`${server.url}/scrape_configs`, { headers: { "accept-encoding": "identity" } })
    expect(plain.headers.get("content-encoding")).toBeNull()
    // node:http, which leaves the body as sent (fetch would decompress it).
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      get(`${server.url}/scrape_configs`, { headers: { "accept-encoding": "gzip, deflate" } }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }))
      }).on("error", reject)
    })
    expect(raw.encoding).toBe("gzip")
    expect(gunzipSync(raw.body).toString()).toBe(await plain.text())
  })

  it.skipIf(!promtoolAvailable)(`passes promtool check config as a prometheus.yml (promtool ${promtoolVersion})`, async () => {
    const body = JSON.parse((await fetchJson(insecure)).text) as Record<string, Record<string, unknown>>
    const scrapeConfigs = Object.values(body).map((sc) => Object.fromEntries(Object.entries(sc).filter(([k]) => !keysAfter242.has(k))))
    const path = file("prometheus.yml", JSON.stringify({ scrape_configs: scrapeConfigs }, null, 2))
    const r = promtool(["check", "config", path])
    expect(r.output).toContain("SUCCESS")
    expect(r.status).toBe(0)
  })
})
