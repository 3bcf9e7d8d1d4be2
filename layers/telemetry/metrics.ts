/** The allocator's self-metrics, with upstream's names and labels (served on `/metrics`). */
import { Metric } from "effect"

export const targetsPerCollector = Metric.gauge("opentelemetry_allocator_targets_per_collector", {
  description: "The number of targets for each collector."
})
export const collectorsAllocatable = Metric.gauge("opentelemetry_allocator_collectors_allocatable", {
  description: "Number of collectors the allocator is able to allocate to."
})
export const collectorsDiscovered = Metric.gauge("opentelemetry_allocator_collectors_discovered", {
  description: "Number of collectors discovered."
})
export const timeToAllocate = Metric.histogram("opentelemetry_allocator_time_to_allocate", {
  description: "The time it takes to allocate",
  boundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
})
export const targetsRemaining = Metric.gauge("opentelemetry_allocator_targets_remaining", {
  description: "Number of targets kept after filtering."
})
export const targetsUnassigned = Metric.gauge("opentelemetry_allocator_targets_unassigned", {
  description: "Number of targets that could not be assigned to a collector (0 when all are)."
})
export const targetsPerJob = Metric.gauge("opentelemetry_allocator_targets", {
  description: "Number of targets discovered per job, before filtering."
})
export const processTargetsDuration = Metric.histogram("opentelemetry_allocator_process_targets_duration_seconds", {
  description: "Duration of processing a batch of discovered targets (relabel filtering, identities, deduplication).",
  // Upstream's buckets (1 s to 120 s) start where ours end; the finer ones below them are ours.
  boundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120]
})
export const targetsMoved = Metric.counter("opentelemetry_allocator_targets_moved_total", {
  description: "Targets that moved from one collector to another."
})
export const eventsTotal = Metric.counter("opentelemetry_allocator_events", {
  description: "Events processed by the allocation pipeline, by source."
})
export const httpDuration = Metric.histogram("opentelemetry_allocator_http_duration_seconds", {
  description: "Duration of received HTTP requests.",
  boundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
})

// Prometheus's own discovery metrics, for the mechanisms we run.
export const fileSdReadErrors = Metric.counter("prometheus_sd_file_read_errors_total", {
  description: "The number of File-SD read errors."
})
export const httpSdFailures = Metric.counter("prometheus_sd_http_failures_total", {
  description: "Number of HTTP service discovery refresh failures."
})
export const dnsSdLookups = Metric.counter("prometheus_sd_dns_lookups_total", {
  description: "The number of DNS-SD lookups."
})
export const dnsSdLookupFailures = Metric.counter("prometheus_sd_dns_lookup_failures_total", {
  description: "The number of DNS-SD lookup failures."
})
export const kubernetesSdFailures = Metric.counter("opentelemetry_allocator_kubernetes_sd_failures_total", {
  description: "Failed Kubernetes list or watch calls of service discovery (retried with backoff)."
})
