/**
 * Real Prometheus servers and scrape targets on loopback, for end-to-end tests of the HTTP_SD endpoints.
 *
 * - `startTargetServer`: a tiny exporter serving one gauge with a value of its own, recording every scrape.
 * - `startPrometheus`: the `prometheus` binary with a generated config, a temporary TSDB directory and
 *   `--web.listen-address=127.0.0.1:<free port>`, its output kept for failure messages, killed on `close`.
 *   Every process started here is also killed by `stopAllPrometheus` and when the test process exits.
 * - `pollUntil`: repeats a request until a predicate holds or a deadline passes, then fails with the last answer.
 * - `prometheusConfigFromAllocator`: what the Collector's Prometheus receiver does with `/scrape_configs`: each job
 *   kept, its discovery replaced by `http_sd_configs` on `/jobs/<QueryEscape(job)>/targets?collector_id=<id>`.
 * - `prometheusBinary`: where `prometheus` is (`$PROMETHEUS_BIN` or `PATH`) and its version, or why it is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer as createHttpServer, type Server } from "node:http"
import { createServer as createTcpServer } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { queryEscape } from "../../src/http/queryEscape.ts"

// ---------------------------------------------------------------------------------------------------------------
// The binary

export type PrometheusBinary =
  | { readonly available: true; readonly path: string; readonly version: string }
  | { readonly available: false; readonly reason: string }

const findOnPath = (name: string): string | undefined => {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

const locate = (): PrometheusBinary => {
  const fromEnv = process.env["PROMETHEUS_BIN"]
  const path = fromEnv !== undefined && fromEnv !== "" ? fromEnv : findOnPath("prometheus")
  if (path === undefined) return { available: false, reason: "no prometheus binary on PATH (install the prometheus package, or set PROMETHEUS_BIN)" }
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 10_000 })
  if (r.error !== undefined || r.status !== 0) {
    return { available: false, reason: `${path} --version failed: ${r.error?.message ?? `exit ${r.status}`} ${r.stderr ?? ""}`.trim() }
  }
  const version = /prometheus, version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? "unknown"
  return { available: true, path, version }
}

/** Looked up once, when the module loads, so that `describe.skipIf` can use it. */
export const prometheusBinary: PrometheusBinary = locate()

// ---------------------------------------------------------------------------------------------------------------
// Polling

export interface PollOptions<A> {
  /** What is awaited, for the failure message. */
  readonly what: string
  readonly probe: () => Promise<A>
  readonly done: (a: A) => boolean
  readonly timeoutMs: number
  readonly intervalMs?: number
  /** More context for the failure message, e.g. process logs. */
  readonly diagnostics?: () => string
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const show = (v: unknown): string => {
  if (typeof v === "string") return v
  try {
    return JSON.stringify(v, null, 1)
  } catch {
    return String(v)
  }
}

/** Resolves with the first probe result satisfying `done`; after `timeoutMs`, fails with the last result. */
export const pollUntil = async <A>(o: PollOptions<A>): Promise<A> => {
  const deadline = Date.now() + o.timeoutMs
  let last: { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: unknown } | undefined
  for (;;) {
    try {
      const value = await o.probe()
      last = { ok: true, value }
      if (o.done(value)) return value
    } catch (error) {
      last = { ok: false, error }
    }
    if (Date.now() >= deadline) break
    await pause(Math.min(o.intervalMs ?? 200, Math.max(0, deadline - Date.now())))
  }
  const lastText = last === undefined ? "(no answer)" : last.ok ? show(last.value) : `error: ${String(last.error)}`
  throw new Error(
    `timed out after ${o.timeoutMs} ms waiting for ${o.what}\n--- last answer:\n${lastText.slice(0, 20_000)}` +
      (o.diagnostics === undefined ? "" : `\n${o.diagnostics()}`)
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Scrape targets

export interface Scrape {
  readonly url: string
  readonly userAgent: string | undefined
}

export interface TargetServer {
  readonly name: string
  /** `127.0.0.1:<port>`, as a static target. */
  readonly address: string
  /** The value of `e2e_target_value` this server exposes. */
  readonly value: number
  readonly scrapes: () => ReadonlyArray<Scrape>
  readonly close: () => Promise<void>
}

export const targetMetric = "e2e_target_value"

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const a = server.address()
      if (a === null || typeof a === "string") reject(new Error("expected a TCP address"))
      else resolve(a.port)
    })
  })

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/**
 * A loopback exporter. Any path ending in `metrics` answers the Prometheus text format with
 * `e2e_target_value <value>` and `e2e_target_info{server="<name>"} 1`; anything else is a 404.
 */
export const startTargetServer = async (name: string, value: number): Promise<TargetServer> => {
  const scrapes: Array<Scrape> = []
  const server = createHttpServer((req, res) => {
    const url = req.url ?? "/"
    const path = url.split("?")[0] ?? ""
    if (req.method !== "GET" || !path.endsWith("metrics")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found")
      return
    }
    scrapes.push({ url, userAgent: req.headers["user-agent"] })
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(
      `# HELP ${targetMetric} A value distinct per target server.\n# TYPE ${targetMetric} gauge\n${targetMetric} ${value}\n` +
        `# HELP e2e_target_info The target server's name.\n# TYPE e2e_target_info gauge\ne2e_target_info{server="${name}"} 1\n`
    )
  })
  const port = await listen(server)
  return { name, address: `127.0.0.1:${port}`, value, scrapes: () => scrapes, close: () => closeServer(server) }
}

// ---------------------------------------------------------------------------------------------------------------
// Prometheus processes

/** The `/api/v1/targets` entries Prometheus 2.x returns. */
export interface ActiveTarget {
  readonly discoveredLabels: Record<string, string>
  readonly labels: Record<string, string>
  readonly scrapePool: string
  readonly scrapeUrl: string
  readonly globalUrl: string
  readonly lastError: string
  readonly lastScrape: string
  readonly health: "up" | "down" | "unknown"
}

export interface DroppedTarget {
  readonly discoveredLabels: Record<string, string>
}

export interface TargetsResponse {
  readonly activeTargets: ReadonlyArray<ActiveTarget>
  readonly droppedTargets: ReadonlyArray<DroppedTarget>
}

export interface QuerySample {
  readonly metric: Record<string, string>
  readonly value: readonly [number, string]
}

export interface RunningPrometheus {
  readonly name: string
  readonly url: string
  readonly configText: string
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  readonly log: () => string
  readonly targets: () => Promise<TargetsResponse>
  /** An instant vector query. */
  readonly query: (expr: string) => Promise<ReadonlyArray<QuerySample>>
  /** Polls `/api/v1/targets` until `predicate` holds; fails with the last response and the log. */
  readonly untilTargets: (what: string, predicate: (t: TargetsResponse) => boolean, timeoutMs?: number) => Promise<TargetsResponse>
  readonly close: () => Promise<void>
}

/** Every started process still running or not yet cleaned up, with its temporary directory. */
const live = new Map<ChildProcess, string>()
let exitHookInstalled = false

const installExitHook = () => {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // Last resort when the test process ends without `close` (a crash, a timeout in a hook): no Prometheus survives it.
  process.once("exit", () => {
    for (const [child, dir] of live) {
      child.kill("SIGKILL")
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  exited(child)
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms)
        child.once("exit", () => {
          clearTimeout(timer)
          resolve(true)
        })
      })

const stopChild = async (child: ChildProcess, dir: string): Promise<void> => {
  if (!exited(child)) {
    child.kill("SIGTERM")
    if (!(await waitForExit(child, 5_000))) {
      child.kill("SIGKILL")
      await waitForExit(child, 5_000)
    }
  }
  live.delete(child)
  rmSync(dir, { recursive: true, force: true })
}

/** Stops every Prometheus this module started and removes its directory. Safe to call more than once. */
export const stopAllPrometheus = async (): Promise<void> => {
  await Promise.all([...live].map(([child, dir]) => stopChild(child, dir)))
}

/** A port that was free a moment ago. Prometheus cannot be told to pick one and report it, so `startPrometheus` retries. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createTcpServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const a = s.address()
      s.close(() => (a === null || typeof a === "string" ? reject(new Error("expected a TCP address")) : resolve(a.port)))
    })
  })

const getJson = async (url: string): Promise<unknown> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 2_000)}`)
  return JSON.parse(text)
}

const apiData = async <A>(url: string): Promise<A> => {
  const body = (await getJson(url)) as { status: string; data?: A; error?: string }
  if (body.status !== "success" || body.data === undefined) throw new Error(`GET ${url}: ${JSON.stringify(body)}`)
  return body.data
}

export interface StartPrometheusOptions {
  readonly name: string
  /** A `prometheus.yml`; JSON is YAML, so an object is written with `JSON.stringify`. */
  readonly config: string | object
  /** Until `/-/ready` answers 200. */
  readonly readyTimeoutMs?: number
}

const startOnce = async (o: StartPrometheusOptions, bin: string, configText: string): Promise<RunningPrometheus | "port-taken"> => {
  const dir = mkdtempSync(join(tmpdir(), `ta-prometheus-${o.name}-`))
  const configFile = join(dir, "prometheus.yml")
  writeFileSync(configFile, configText)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(bin, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=info"
  ], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
  installExitHook()
  live.set(child, dir)
  let output = ""
  child.stdout!.on("data", (d) => (output += d))
  child.stderr!.on("data", (d) => (output += d))
  let spawnError: Error | undefined
  child.once("error", (e) => (spawnError = e))
  const log = () => `--- ${o.name} (${bin}, ${url}) log:\n${output.slice(-30_000)}${spawnError === undefined ? "" : `\nspawn error: ${spawnError.message}`}`

  const close = () => stopChild(child, dir)

  let status: number | "exited"
  try {
    status = await pollUntil<number | "exited">({
      what: `${o.name} to answer /-/ready`,
      probe: async () =>
        spawnError !== undefined || exited(child)
          ? "exited"
          : (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).status,
      // A dead process ends the wait at once: polling it until the deadline helps nobody.
      done: (s) => s === 200 || s === "exited",
      timeoutMs: o.readyTimeoutMs ?? 20_000,
      intervalMs: 100,
      diagnostics: log
    })
  } catch (e) {
    await close()
    throw e
  }
  if (status !== 200) {
    await waitForExit(child, 1_000) // let the last output arrive
    await close()
    if (/address already in use/.test(output)) return "port-taken"
    throw new Error(`${o.name} exited before it was ready\n${log()}`)
  }

  const targets = () => apiData<TargetsResponse>(`${url}/api/v1/targets`)
  return {
    name: o.name,
    url,
    configText,
    log,
    targets,
    query: async (expr) => (await apiData<{ resultType: string; result: ReadonlyArray<QuerySample> }>(
      `${url}/api/v1/query?query=${encodeURIComponent(expr)}`
    )).result,
    untilTargets: (what, predicate, timeoutMs = 30_000) =>
      pollUntil({ what: `${o.name}: ${what}`, probe: targets, done: predicate, timeoutMs, intervalMs: 250, diagnostics: log }),
    close
  }
}

/** Starts `prometheus` on 127.0.0.1 and resolves once it is ready; fails with its log if it is not. */
export const startPrometheus = async (o: StartPrometheusOptions): Promise<RunningPrometheus> => {
  if (!prometheusBinary.available) throw new Error(prometheusBinary.reason)
  const configText = typeof o.config === "string" ? o.config : JSON.stringify(o.config, null, 2)
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await startOnce(o, prometheusBinary.path, configText)
    if (r !== "port-taken") return r
  }
  throw new Error(`${o.name}: the listen port was taken three times in a row`)
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration, the way the Collector's Prometheus receiver derives it from the allocator

/** `/jobs/<QueryEscape(job)>/targets?collector_id=<id>`, as the receiver builds it. */
export const httpSdUrl = (allocatorUrl: string, job: string, collectorId: string): string =>
  `${allocatorUrl}/jobs/${queryEscape(job)}/targets?collector_id=${collectorId}`

export interface CollectorOverrides {
  /** Replaces every job's `scrape_interval` (and the global one); the served value is kept when absent. */
  readonly scrapeInterval?: string
  readonly scrapeTimeout?: string
  /**
   * `http_sd_configs[].refresh_interval`, 30s when absent, as in the receiver. Must be positive: Prometheus 2.42's
   * config check accepts `0s` and the discovery then panics ("non-positive interval for NewTicker").
   */
  readonly refreshInterval?: string
}

/**
 * The scrape-config keys passed through to Prometheus 2.42. The rest of what `/scrape_configs` serves is either
 * service discovery (replaced) or unknown to 2.42, whose strict parser refuses `track_timestamps_staleness` (2.48)
 * and `enable_compression` (2.49).
 */
const keptKeys = [
  "job_name", "honor_labels", "honor_timestamps", "metrics_path", "scheme", "params",
  "relabel_configs", "metric_relabel_configs", "follow_redirects", "enable_http2"
] as const

/**
 * Fetches `<allocator>/scrape_configs` and turns it into a Prometheus configuration for one collector: every job
 * as served (name, relabel rules verbatim, path, scheme, params), its only discovery `http_sd_configs` on the
 * allocator, and the intervals replaced by `overrides`.
 */
export const prometheusConfigFromAllocator = async (
  allocatorUrl: string,
  collectorId: string,
  overrides: CollectorOverrides = {}
): Promise<{ readonly scrape_configs: ReadonlyArray<Record<string, unknown>>; readonly [k: string]: unknown }> => {
  const served = (await getJson(`${allocatorUrl}/scrape_configs`)) as Record<string, Record<string, unknown>>
  const scrapeConfigs = Object.entries(served).map(([job, sc]) => {
    if (sc["job_name"] !== job) throw new Error(`/scrape_configs: key ${JSON.stringify(job)} holds job_name ${JSON.stringify(sc["job_name"])}`)
    const out: Record<string, unknown> = {}
    for (const k of keptKeys) if (sc[k] !== undefined) out[k] = sc[k]
    out["scrape_interval"] = overrides.scrapeInterval ?? sc["scrape_interval"]
    out["scrape_timeout"] = overrides.scrapeTimeout ?? sc["scrape_timeout"]
    // As the receiver does: the only discovery is the allocator, and the SD client does not follow redirects.
    out["http_sd_configs"] = [{
      url: httpSdUrl(allocatorUrl, job, collectorId),
      refresh_interval: overrides.refreshInterval ?? "30s",
      follow_redirects: false
    }]
    return out
  })
  const global: Record<string, string> = {}
  if (overrides.scrapeInterval !== undefined) global["scrape_interval"] = overrides.scrapeInterval
  if (overrides.scrapeTimeout !== undefined) global["scrape_timeout"] = overrides.scrapeTimeout
  return { global, scrape_configs: scrapeConfigs }
}
