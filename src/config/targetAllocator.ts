/**
 * The allocator's own file (`targetallocator.yaml`), every key upstream reads, with upstream defaults, plus the
 * `static_collectors` extension.
 */
import { Schema } from "effect"
import type { Collector } from "../membership/collector.ts"
import { LabelSelector } from "./labelSelector.ts"
import { PrometheusConfigInput, type PrometheusConfig } from "./prometheus/config.ts"
import { Bool, Duration, field, PrometheusDuration, Text, withDefault } from "./scalars.ts"

export const allocationStrategies = ["consistent-hashing", "least-weighted", "per-node"] as const
export type AllocationStrategy = typeof allocationStrategies[number]

const Strategy = Text.pipe(
  Schema.decodeTo(Schema.Literals(allocationStrategies).annotate({ expected: `one of ${allocationStrategies.join(", ")}` }))
)
const FallbackStrategy = Text.pipe(
  Schema.decodeTo(
    Schema.Literals(["", ...allocationStrategies]).annotate({ expected: `"" or one of ${allocationStrategies.join(", ")}` })
  )
)

const Selector = field(LabelSelector, undefined, undefined)
const AllNamespaces: LabelSelector = { matchLabels: {}, matchExpressions: [] }

export const defaultCRScrapeProtocols = ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"]

export const PrometheusCRInput = Schema.Struct({
  enabled: withDefault(Bool, false),
  allow_namespaces: withDefault(Schema.Array(Text), []),
  deny_namespaces: withDefault(Schema.Array(Text), []),
  secret_namespaces: withDefault(Schema.Array(Text), []),
  // prometheus-operator semantics: a missing monitor selector selects nothing, `{}` selects everything.
  service_monitor_selector: Selector,
  pod_monitor_selector: Selector,
  scrape_config_selector: Selector,
  probe_selector: Selector,
  service_monitor_namespace_selector: withDefault(LabelSelector, AllNamespaces),
  pod_monitor_namespace_selector: withDefault(LabelSelector, AllNamespaces),
  scrape_config_namespace_selector: withDefault(LabelSelector, AllNamespaces),
  probe_namespace_selector: withDefault(LabelSelector, AllNamespaces),
  scrape_interval: withDefault(PrometheusDuration, 30_000),
  evaluation_interval: withDefault(PrometheusDuration, 0),
  scrape_protocols: withDefault(Schema.Array(Text), defaultCRScrapeProtocols),
  scrape_classes: withDefault(Schema.Array(Schema.Unknown), []),
  deny_fs_access_through_sms: withDefault(Bool, false)
}).annotate({ expected: "a mapping" })

export const HttpsInput = Schema.Struct({
  enabled: withDefault(Bool, false),
  listen_addr: withDefault(Text, ":8443"),
  ca_file_path: withDefault(Text, ""),
  tls_cert_file_path: withDefault(Text, ""),
  tls_key_file_path: withDefault(Text, "")
}).annotate({ expected: "a mapping" })

const CollectorName = Text.check(Schema.isNonEmpty({ expected: "a non-empty collector name" }))

export const StaticCollector = Schema.Union([
  CollectorName,
  Schema.Struct({ name: CollectorName, node: withDefault(Text, "") })
]).annotate({ expected: "a collector name, or a mapping with name and node" })

export const TargetAllocatorConfigInput = Schema.Struct({
  listen_addr: withDefault(Text, ":8080"),
  kube_config_file_path: withDefault(Text, ""),
  collector_selector: Selector,
  collector_namespace: withDefault(Text, ""),
  config: field(PrometheusConfigInput, undefined, undefined),
  allocation_strategy: withDefault(Strategy, "consistent-hashing"),
  allocation_fallback_strategy: withDefault(FallbackStrategy, ""),
  filter_strategy: withDefault(Text, "relabel-config"),
  prometheus_cr: withDefault(PrometheusCRInput, {
    enabled: false, allow_namespaces: [], deny_namespaces: [], secret_namespaces: [],
    service_monitor_selector: undefined, pod_monitor_selector: undefined, scrape_config_selector: undefined,
    probe_selector: undefined, service_monitor_namespace_selector: AllNamespaces, pod_monitor_namespace_selector: AllNamespaces,
    scrape_config_namespace_selector: AllNamespaces, probe_namespace_selector: AllNamespaces,
    scrape_interval: 30_000, evaluation_interval: 0, scrape_protocols: defaultCRScrapeProtocols,
    scrape_classes: [], deny_fs_access_through_sms: false
  }),
  https: withDefault(HttpsInput, { enabled: false, listen_addr: ":8443", ca_file_path: "", tls_cert_file_path: "", tls_key_file_path: "" }),
  telemetry: field(Schema.Unknown, undefined, undefined),
  collector_not_ready_grace_period: withDefault(Duration, 30_000),
  allow_insecure_auth_secrets: withDefault(Bool, false),
  static_collectors: field(Schema.Array(StaticCollector), undefined, undefined),
  // Extension: how long discovery updates are merged before allocation (Prometheus's discovery manager: 5s).
  discovery_coalesce_interval: withDefault(Duration, 5_000)
}).annotate({ expected: "a mapping of target allocator settings" })

export type TargetAllocatorConfigInput = typeof TargetAllocatorConfigInput.Type

/** The resolved configuration: file, environment and flags applied, Prometheus defaults filled. */
export interface TargetAllocatorConfig extends Omit<TargetAllocatorConfigInput, "config" | "static_collectors"> {
  readonly config: PrometheusConfig
  readonly static_collectors: ReadonlyArray<Collector> | undefined
}
