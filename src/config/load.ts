/**
 * From the text of `targetallocator.yaml` to a typed configuration, or to every problem in it at once.
 *
 * Unknown keys are warnings, as upstream ignores them (but upstream says nothing). Keys that Prometheus knows and
 * this version does not implement yet are errors: ignoring them would scrape differently from what the user wrote.
 */
import { Result, Schema } from "effect"
import { parseListenAddress } from "./listenAddress.ts"
import { ConfigError, fromSchemaIssue, issue, type ConfigIssue, type Path } from "./issues.ts"
import { emptyPrometheusConfig, PrometheusConfigInput, resolvePrometheusConfig, type PrometheusConfig } from "./prometheus/config.ts"
import type { Collector } from "../membership/collector.ts"
import { TargetAllocatorConfigInput, type TargetAllocatorConfig } from "./targetAllocator.ts"
import { isRecord, parseYaml, YamlSyntaxError, type RawValue } from "./yaml.ts"

export interface Decoded<A> {
  readonly value: A
  readonly warnings: ReadonlyArray<ConfigIssue>
}

const jobAt = (doc: RawValue, path: Path): string | undefined => {
  // Paths into a job look like [..., "scrape_configs", i, ...].
  const k = path.indexOf("scrape_configs")
  if (k < 0 || typeof path[k + 1] !== "number") return undefined
  let cur: RawValue | undefined = doc
  for (const p of path.slice(0, k + 2)) {
    cur = Array.isArray(cur) && typeof p === "number" ? cur[p] : isRecord(cur) && typeof p === "string" ? cur[p] : undefined
  }
  const name = isRecord(cur) ? cur["job_name"] : undefined
  return typeof name === "string" && name !== "" ? name : undefined
}

const withJob = (doc: RawValue, i: ConfigIssue): ConfigIssue => {
  const job = jobAt(doc, i.path)
  return job === undefined ? i : { ...i, job }
}

/**
 * Unknown keys in the Prometheus part are errors, as Prometheus reads its config strictly (a typo such as
 * `scrape_intervall` must not silently scrape at the default); elsewhere they are warnings, as upstream ignores them.
 */
const classifyUnknownKey = (path: Path, promPrefix: Path): { readonly error?: ConfigIssue; readonly warning?: ConfigIssue } => {
  const inProm = promPrefix.every((p, i) => path[i] === p)
  return inProm
    ? { error: issue(path, "unknown field; Prometheus refuses it") }
    : { warning: issue(path, "unknown key; ignored") }
}

const decodeWith = <S extends Schema.Top>(
  schema: S,
  doc: RawValue,
  source: string,
  promPrefix: Path
): Result.Result<Decoded<S["Type"]>, ConfigError> => {
  const strict = Schema.decodeUnknownResult(schema as never)(doc, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(strict)) return Result.succeed({ value: strict.success as S["Type"], warnings: [] })
  const { errors, unknownKeys } = fromSchemaIssue(strict.failure.issue, doc)
  const allErrors: Array<ConfigIssue> = [...errors]
  const warnings: Array<ConfigIssue> = []
  for (const path of unknownKeys) {
    const c = classifyUnknownKey(path, promPrefix)
    if (c.error) allErrors.push(c.error)
    if (c.warning) warnings.push(c.warning)
  }
  if (allErrors.length > 0) return Result.fail(new ConfigError({ source, issues: allErrors.map((i) => withJob(doc, i)) }))
  const lenient = Schema.decodeUnknownResult(schema as never)(doc, { errors: "all", onExcessProperty: "ignore" })
  if (Result.isFailure(lenient)) {
    const again = fromSchemaIssue(lenient.failure.issue, doc)
    return Result.fail(new ConfigError({ source, issues: again.errors.map((i) => withJob(doc, i)) }))
  }
  return Result.succeed({ value: lenient.success as S["Type"], warnings: warnings.map((i) => withJob(doc, i)) })
}

export const parseDocument = (text: string, source: string): Result.Result<RawValue, ConfigError> => {
  const doc = parseYaml(text)
  if (doc instanceof YamlSyntaxError) {
    // The first line says what and where; the rest is a picture of the spot, which a one-line message does without.
    return Result.fail(new ConfigError({ source, issues: [issue([], `not valid YAML: ${doc.message.split("\n")[0]}`)] }))
  }
  return Result.succeed(doc ?? {})
}

export const decodeTargetAllocatorFile = (
  text: string,
  source: string
): Result.Result<Decoded<TargetAllocatorConfigInput>, ConfigError> =>
  Result.flatMap(parseDocument(text, source), (doc) => decodeWith(TargetAllocatorConfigInput, doc, source, ["config"]))

/** What the environment and the command line may override; `undefined` means "not given". */
export interface Overrides {
  readonly listen_addr?: string | undefined
  readonly kube_config_file_path?: string | undefined
  readonly collector_namespace?: string | undefined
  readonly prometheus_cr_enabled?: boolean | undefined
  readonly https_enabled?: boolean | undefined
  readonly https_listen_addr?: string | undefined
  readonly https_ca_file_path?: string | undefined
  readonly https_tls_cert_file_path?: string | undefined
  readonly https_tls_key_file_path?: string | undefined
  readonly allow_insecure_auth_secrets?: boolean | undefined
}

/** Upstream's environment: `OTELCOL_NAMESPACE` when non-empty, `ALLOW_INSECURE_AUTH_SECRETS` when exactly "true". */
export const overridesFromEnv = (env: Readonly<Record<string, string | undefined>>): Overrides => ({
  collector_namespace: env["OTELCOL_NAMESPACE"] || undefined,
  allow_insecure_auth_secrets: env["ALLOW_INSECURE_AUTH_SECRETS"] === "true" ? true : undefined
})

const pick = <A>(...vs: ReadonlyArray<A | undefined>): A | undefined => vs.find((v) => v !== undefined)

const staticCollectors = (input: TargetAllocatorConfigInput["static_collectors"]): ReadonlyArray<Collector> | undefined =>
  input?.map((c) => (typeof c === "string" ? { name: c, node: "" } : c))

/**
 * Defaults < file < environment < flags, then Prometheus defaults and every check upstream makes, in its order.
 */
export const resolveTargetAllocatorConfig = (
  input: TargetAllocatorConfigInput,
  env: Overrides,
  flags: Overrides,
  source: string
): Result.Result<TargetAllocatorConfig, ConfigError> => {
  const issues: Array<ConfigIssue> = []
  const prom = resolvePrometheusConfig(input.config ?? emptyPrometheusConfig, ["config"])
  issues.push(...prom.issues)
  const config: TargetAllocatorConfig = {
    ...input,
    listen_addr: pick(flags.listen_addr, env.listen_addr) ?? input.listen_addr,
    kube_config_file_path: pick(flags.kube_config_file_path, env.kube_config_file_path) ?? input.kube_config_file_path,
    collector_namespace: pick(flags.collector_namespace, env.collector_namespace) ?? input.collector_namespace,
    allow_insecure_auth_secrets: pick(flags.allow_insecure_auth_secrets, env.allow_insecure_auth_secrets) ?? input.allow_insecure_auth_secrets,
    prometheus_cr: { ...input.prometheus_cr, enabled: pick(flags.prometheus_cr_enabled, env.prometheus_cr_enabled) ?? input.prometheus_cr.enabled },
    https: {
      enabled: pick(flags.https_enabled, env.https_enabled) ?? input.https.enabled,
      listen_addr: pick(flags.https_listen_addr, env.https_listen_addr) ?? input.https.listen_addr,
      ca_file_path: pick(flags.https_ca_file_path, env.https_ca_file_path) ?? input.https.ca_file_path,
      tls_cert_file_path: pick(flags.https_tls_cert_file_path, env.https_tls_cert_file_path) ?? input.https.tls_cert_file_path,
      tls_key_file_path: pick(flags.https_tls_key_file_path, env.https_tls_key_file_path) ?? input.https.tls_key_file_path
    },
    config: prom.config,
    static_collectors: staticCollectors(input.static_collectors)
  }
  if (config.config.scrape_configs.length === 0 && !config.prometheus_cr.enabled && prom.issues.length === 0) {
    issues.push(issue(["config", "scrape_configs"], "at least one scrape config must be defined, or Prometheus CR watching must be enabled"))
  }
  if (config.static_collectors === undefined && config.collector_namespace === "") {
    issues.push(issue(["collector_namespace"], "collector namespace must be set (or OTELCOL_NAMESPACE, or static_collectors)"))
  }
  if (config.prometheus_cr.allow_namespaces.length > 0 && config.prometheus_cr.deny_namespaces.length > 0) {
    issues.push(issue(["prometheus_cr"], "allow_namespaces and deny_namespaces are mutually exclusive"))
  }
  if (parseListenAddress(config.listen_addr) === undefined) {
    issues.push(issue(["listen_addr"], `expected an address such as ":8080" or "127.0.0.1:8080", got ${JSON.stringify(config.listen_addr)}`))
  }
  if (config.https.enabled) {
    if (parseListenAddress(config.https.listen_addr) === undefined) {
      issues.push(issue(["https", "listen_addr"], `expected an address such as ":8443", got ${JSON.stringify(config.https.listen_addr)}`))
    }
    for (const key of ["ca_file_path", "tls_cert_file_path", "tls_key_file_path"] as const) {
      if (config.https[key] === "") issues.push(issue(["https", key], "is required when the mTLS server is enabled"))
    }
  }
  const seen = new Set<string>()
  for (const [i, c] of (config.static_collectors ?? []).entries()) {
    if (seen.has(c.name)) issues.push(issue(["static_collectors", i], `duplicate collector name ${JSON.stringify(c.name)}`))
    seen.add(c.name)
  }
  return issues.length > 0 ? Result.fail(new ConfigError({ source, issues })) : Result.succeed(config)
}

/** A plain Prometheus configuration file (`prometheus.yml`): strict, as Prometheus reads it. */
export const decodePrometheusFile = (text: string, source: string): Result.Result<Decoded<PrometheusConfig>, ConfigError> =>
  Result.flatMap(parseDocument(text, source), (doc) =>
    Result.flatMap(decodeWith(PrometheusConfigInput, doc, source, []), (decoded) => {
      const { config, issues } = resolvePrometheusConfig(decoded.value, [])
      return issues.length > 0
        ? Result.fail(new ConfigError({ source, issues }))
        : Result.succeed({ value: config, warnings: decoded.warnings })
    }))

/** A target allocator file has at least one of the allocator's own keys; anything else is read as Prometheus's. */
export const looksLikePrometheusConfig = (text: string): boolean => {
  const doc = parseYaml(text)
  const allocatorKeys = Object.keys(TargetAllocatorConfigInput.fields)
  return !(isRecord(doc) && Object.keys(doc).some((k) => allocatorKeys.includes(k)))
}
