/**
 * `check config`: a Prometheus config is checked as `promtool check config` would (the config, then its static
 * targets through relabeling); an allocator config as the allocator would start it.
 */
import { Result } from "effect"
import { ConfigError, formatIssue, issue, type ConfigIssue } from "../config/issues.ts"
import {
  decodePrometheusFile, decodeTargetAllocatorFile, looksLikePrometheusConfig, resolveTargetAllocatorConfig
} from "../config/load.ts"
import type { PrometheusConfig } from "../config/prometheus/config.ts"
import type { TargetAllocatorConfig } from "../config/targetAllocator.ts"
import { unsupportedFeatures } from "../config/support.ts"
import { staticGroups } from "../discovery/static.ts"
import { staticTargetError } from "./serviceDiscovery.ts"

export interface CheckedConfig {
  readonly kind: "prometheus" | "target allocator"
  readonly config: PrometheusConfig
  readonly warnings: ReadonlyArray<string>
  /** The allocator's `kube_config_file_path` ("" for a Prometheus config): the default connection of kubernetes_sd. */
  readonly kubeconfigPath: string
  /** The whole allocator config, for an allocator config. */
  readonly allocator: TargetAllocatorConfig | undefined
}

const targetIssues = (config: PrometheusConfig, prefix: ReadonlyArray<string>): ReadonlyArray<ConfigIssue> =>
  config.scrape_configs.flatMap((sc, i) => {
    const error = staticTargetError(sc, staticGroups(sc.static_configs))
    return error === undefined ? [] : [{ ...issue([...prefix, "scrape_configs", i, "static_configs"], error), job: sc.job_name }]
  })

export const checkConfig = (text: string, source: string): Result.Result<CheckedConfig, ConfigError> => {
  if (looksLikePrometheusConfig(text)) {
    return Result.flatMap(decodePrometheusFile(text, source), (d) => {
      const issues = targetIssues(d.value, [])
      return issues.length > 0
        ? Result.fail(new ConfigError({ source, issues }))
        : Result.succeed({ kind: "prometheus", config: d.value, warnings: d.warnings.map(formatIssue), kubeconfigPath: "", allocator: undefined })
    })
  }
  return Result.flatMap(decodeTargetAllocatorFile(text, source), (decoded) =>
    Result.flatMap(resolveTargetAllocatorConfig(decoded.value, {}, {}, source), (config) => {
      const issues = [...targetIssues(config.config, ["config"]), ...unsupportedFeatures(config)]
      return issues.length > 0
        ? Result.fail(new ConfigError({ source, issues }))
        : Result.succeed({ kind: "target allocator", config: config.config, warnings: decoded.warnings.map(formatIssue), kubeconfigPath: config.kube_config_file_path, allocator: config })
    }))
}
