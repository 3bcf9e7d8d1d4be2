import { describe, expect, it } from "vitest"
import { configErrors, configWarnings, loadConfig } from "../support/config.ts"

const minimal = `
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: api
      static_configs: [{targets: ["a:1"]}]
`

describe("decoding targetallocator.yaml", () => {
  it("fills upstream defaults", () => {
    const c = loadConfig(minimal)
    expect(c.listen_addr).toBe(":8080")
    expect(c.allocation_strategy).toBe("consistent-hashing")
    expect(c.filter_strategy).toBe("relabel-config")
    expect(c.collector_not_ready_grace_period).toBe(30_000)
    expect(c.allow_insecure_auth_secrets).toBe(false)
    expect(c.prometheus_cr.enabled).toBe(false)
    expect(c.prometheus_cr.scrape_interval).toBe(30_000)
    expect(c.https).toEqual({ enabled: false, listen_addr: ":8443", ca_file_path: "", tls_cert_file_path: "", tls_key_file_path: "" })
    expect(c.config.global).toMatchObject({ scrape_interval: 60_000, scrape_timeout: 10_000, evaluation_interval: 60_000 })
    const job = c.config.scrape_configs[0]!
    expect(job).toMatchObject({
      job_name: "api", scrape_interval: 60_000, scrape_timeout: 10_000, metrics_path: "/metrics", scheme: "http",
      honor_labels: false, honor_timestamps: true, enable_http2: true, follow_redirects: true
    })
  })

  it("pushes global intervals into jobs, and caps an inherited timeout at the job's interval", () => {
    const c = loadConfig(`
static_collectors: [c0]
config:
  global: {scrape_interval: 15s, scrape_timeout: 12s}
  scrape_configs:
    - job_name: inherit
    - job_name: short
      scrape_interval: 5s
    - job_name: own
      scrape_interval: 1m
      scrape_timeout: 30s
`)
    expect(c.config.scrape_configs.map((s) => [s.scrape_interval, s.scrape_timeout])).toEqual([
      [15_000, 12_000], [5_000, 5_000], [60_000, 30_000]
    ])
  })

  it("reads both spellings of a selector, camelCase winning", () => {
    const c = loadConfig(`
collector_namespace: otel
static_collectors: [c0]
collector_selector:
  matchlabels: {app: lower}
  matchLabels: {app: camel}
  matchexpressions: [{key: tier, operator: In, values: [a]}]
config: {scrape_configs: [{job_name: j}]}
`)
    expect(c.collector_selector).toEqual({
      matchLabels: { app: "camel" },
      matchExpressions: [{ key: "tier", operator: "In", values: ["a"] }]
    })
  })

  it("takes static collectors as names or {name, node}", () => {
    const c = loadConfig(`
static_collectors: [a, {name: b, node: n1}]
config: {scrape_configs: [{job_name: j}]}
`)
    expect(c.static_collectors).toEqual([{ name: "a", node: "" }, { name: "b", node: "n1" }])
  })

  it("treats a YAML null in the allocator's keys as absent, keeping the default", () => {
    const c = loadConfig(`
listen_addr:
collector_not_ready_grace_period: ~
collector_selector: null
static_collectors: [c0]
config: {scrape_configs: [{job_name: j}]}
`)
    expect(c.listen_addr).toBe(":8080")
    expect(c.collector_not_ready_grace_period).toBe(30_000)
    expect(c.collector_selector).toBeUndefined()
  })

  it("gives a YAML null in Prometheus's keys the Go zero value, as yaml.v2 does", () => {
    const job = loadConfig(`
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: j
      metrics_path: null
      honor_timestamps: ~
      scrape_interval:
      relabel_configs:
        - {source_labels: [a], regex: null, action: keep}
`).config.scrape_configs[0]!
    expect(job.metrics_path).toBe("")
    expect(job.honor_timestamps).toBe(false)
    expect(job.scrape_interval).toBe(60_000)
    // A null regex is the empty regex, which matches only the empty string.
    expect(job.relabel_rules[0]!.regex.matches("")).toBe(true)
    expect(job.relabel_rules[0]!.regex.matches("x")).toBe(false)
  })

  it("reads scalars the way Go's typed decoder does", () => {
    const c = loadConfig(`
allow_insecure_auth_secrets: yes
collector_not_ready_grace_period: 1m30s
static_collectors: [0755]
config:
  scrape_configs:
    - job_name: 8080
      honor_labels: True
      static_configs: [{targets: ["a:1"], labels: {port: 0755, on: on}}]
`)
    expect(c.allow_insecure_auth_secrets).toBe(true)
    expect(c.collector_not_ready_grace_period).toBe(90_000)
    expect(c.static_collectors).toEqual([{ name: "0755", node: "" }])
    const job = c.config.scrape_configs[0]!
    expect(job.job_name).toBe("8080")
    expect(job.honor_labels).toBe(true)
    expect(job.static_configs[0]!.labels).toEqual({ port: "0755", on: "on" })
  })
})

describe("precedence: defaults < file < environment < flags", () => {
  const file = `
listen_addr: ":9000"
collector_namespace: from-file
allow_insecure_auth_secrets: false
static_collectors: [c0]
config: {scrape_configs: [{job_name: j}]}
`
  it("the file overrides defaults", () => {
    expect(loadConfig(file).listen_addr).toBe(":9000")
  })
  it("the environment overrides the file", () => {
    const c = loadConfig(file, { collector_namespace: "from-env", allow_insecure_auth_secrets: true })
    expect(c.collector_namespace).toBe("from-env")
    expect(c.allow_insecure_auth_secrets).toBe(true)
  })
  it("flags override the environment, and only when given", () => {
    const c = loadConfig(file, { collector_namespace: "from-env" }, { listen_addr: "127.0.0.1:0", https_listen_addr: undefined })
    expect(c.listen_addr).toBe("127.0.0.1:0")
    expect(c.collector_namespace).toBe("from-env")
    expect(c.https.listen_addr).toBe(":8443")
  })
  it("reads upstream's environment variables exactly", async () => {
    const { overridesFromEnv } = await import("../../src/config/load.ts")
    expect(overridesFromEnv({ OTELCOL_NAMESPACE: "ns", ALLOW_INSECURE_AUTH_SECRETS: "true" }))
      .toEqual({ collector_namespace: "ns", allow_insecure_auth_secrets: true })
    // An empty namespace does not blank the file's, and only the exact string "true" turns secrets on.
    expect(overridesFromEnv({ OTELCOL_NAMESPACE: "", ALLOW_INSECURE_AUTH_SECRETS: "1" }))
      .toEqual({ collector_namespace: undefined, allow_insecure_auth_secrets: undefined })
  })
})

describe("refusing a bad file", () => {
  it("names the path, the value and what was expected, for every problem at once", () => {
    expect(configErrors(`
static_collectors: [c0, [x]]
allocation_strategy: round-robin
collector_not_ready_grace_period: soon
listen_addr: "8080"
config:
  scrape_configs:
    - job_name: api
      scrape_interval: 10x
      honor_labels: maybe
      relabel_configs: [{action: explode}]
`)).toEqual([
      `config.scrape_configs[0].honor_labels (job "api"): expected a boolean (true or false), got "maybe"`,
      `config.scrape_configs[0].scrape_interval (job "api"): expected a duration such as "30s", "1m30s" or "1d", got "10x"`,
      `config.scrape_configs[0].relabel_configs[0].action (job "api"): unknown relabel action "explode"`,
      `allocation_strategy: expected one of consistent-hashing, least-weighted, per-node, got "round-robin"`,
      `collector_not_ready_grace_period: expected a duration such as "30s", "1m30s" or "500ms", got "soon"`,
      `static_collectors[1]: expected a collector name, or a mapping with name and node, got a list`
    ])
  })

  it("refuses Prometheus's cross-field mistakes", () => {
    expect(configErrors(`
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: a
      scrape_interval: 10s
      scrape_timeout: 20s
    - job_name: a
    - job_name: b
      static_configs: [{targets: ["http://host:80/metrics"]}]
`)).toEqual([
      `config.scrape_configs[0].scrape_timeout (job "a"): scrape timeout greater than scrape interval for scrape config with job name "a"`,
      `config.scrape_configs[1].job_name (job "a"): found multiple scrape configs with job name "a" (first at index 0)`,
      `config.scrape_configs[2].static_configs[0].targets[0] (job "b"): "http://host:80/metrics" is not a valid hostname`
    ])
  })

  it("applies upstream's validation", () => {
    expect(configErrors(`config: {}`)).toEqual([
      "config.scrape_configs: at least one scrape config must be defined, or Prometheus CR watching must be enabled",
      "collector_namespace: collector namespace must be set (or OTELCOL_NAMESPACE, or static_collectors)"
    ])
    expect(configErrors(`
collector_namespace: ns
prometheus_cr: {enabled: true, allow_namespaces: [a], deny_namespaces: [b]}
`)).toEqual(["prometheus_cr: allow_namespaces and deny_namespaces are mutually exclusive"])
  })

  it("refuses what this version does not implement, never ignoring it", async () => {
    const { unsupportedFeatures } = await import("../../src/config/support.ts")
    const { formatIssue } = await import("../../src/config/issues.ts")
    expect(configErrors(`
static_collectors: [c0]
config:
  scrape_config_files: [x.yaml]
  scrape_configs: [{job_name: j}]
`)).toEqual(["config.scrape_config_files: is not supported yet: put the jobs in scrape_configs"])
    expect(unsupportedFeatures(loadConfig(`
static_collectors: [c0]
allocation_strategy: per-node
allocation_fallback_strategy: per-node
config: {scrape_configs: [{job_name: j}]}
`)).map(formatIssue)).toEqual([`allocation_fallback_strategy: per-node cannot be its own fallback: use consistent-hashing, least-weighted or ""`])
    const c = loadConfig(`
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: k
      kubernetes_sd_configs: [{role: pod}]
      consul_sd_configs: [{server: "consul:8500"}]
      http_sd_configs: [{url: "http://sd.example/targets", oauth2: {client_id: a, client_secret: b, token_url: "http://auth.example"}}]
    - job_name: m
      kubernetes_sd_configs:
        - role: pod
          api_server: https://kube.example
          authorization: {type: Token, credentials_file: /t}
          tls_config: {min_version: TLS13}
          http_headers: {X-A: {values: [b]}}
      http_sd_configs: [{url: "http://sd.example/targets", proxy_from_environment: true, basic_auth: {username: u, password_ref: p}}]
`)
    expect(unsupportedFeatures(c).map(formatIssue)).toEqual([
      `config.scrape_configs[0].consul_sd_configs (job "k"): service discovery mechanism consul_sd_configs is not supported yet`,
      `config.scrape_configs[0].http_sd_configs[0].oauth2 (job "k"): oauth2: not supported yet for this discovery mechanism`,
      `config.scrape_configs[1].http_sd_configs[0].basic_auth.password_ref (job "m"): secret references (*_ref): not supported yet for this discovery mechanism`,
      `config.scrape_configs[1].http_sd_configs[0].proxy_from_environment (job "m"): proxy_from_environment: not supported yet for this discovery mechanism`,
      `config.scrape_configs[1].kubernetes_sd_configs[0].authorization.type (job "m"): an authorization type other than Bearer: not supported yet for this discovery mechanism`,
      `config.scrape_configs[1].kubernetes_sd_configs[0].tls_config.min_version (job "m"): tls_config.min_version: not supported yet for this discovery mechanism`,
      `config.scrape_configs[1].kubernetes_sd_configs[0].http_headers (job "m"): http_headers: not supported yet for this discovery mechanism`
    ])
  })

  it("reports a YAML syntax error with its position", () => {
    const [message] = configErrors("config: [unclosed\n")
    expect(message).toMatch(/^\(top level\): not valid YAML: .*line 2, column 1/s)
  })

  it("warns about unknown keys of the allocator, naming them, and accepts Prometheus sections it does not use", () => {
    expect(configWarnings(`
static_collectors: [c0]
listen_adress: ":1"
config:
  rule_files: [a.yml]
  alerting: {alertmanagers: []}
  scrape_configs: [{job_name: j}]
`)).toEqual(["listen_adress: unknown key; ignored"])
  })

  it("refuses unknown keys in the Prometheus part, as Prometheus does", () => {
    expect(configErrors(`
static_collectors: [c0]
config:
  scrape_configs: [{job_name: j, scrape_intervall: 5s}]
`)).toEqual([`config.scrape_configs[0].scrape_intervall (job "j"): unknown field; Prometheus refuses it`])
  })

  it("never quotes a secret back", async () => {
    const { Result, Schema } = await import("effect")
    const { SecretText } = await import("../../src/config/scalars.ts")
    const { fromSchemaIssue } = await import("../../src/config/issues.ts")
    const doc = { password: ["hunter2"] }
    const r = Schema.decodeUnknownResult(Schema.Struct({ password: SecretText }))(doc)
    expect(Result.isFailure(r)).toBe(true)
    if (Result.isFailure(r)) {
      const { errors } = fromSchemaIssue(r.failure.issue, doc)
      expect(errors.map((e) => e.message).join()).not.toContain("hunter2")
      expect(errors[0]!.message).toBe("expected a string")
    }
  })
})
