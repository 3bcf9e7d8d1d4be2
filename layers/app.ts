/**
 * The whole program as one layer: configuration → discovery → allocation → HTTP, with membership beside.
 * Tests build it with their own membership or scrape-config source; the CLI with the live ones.
 */
import { NodeServices } from "@effect/platform-node"
import { type Duration, Layer } from "effect"
import { parseListenAddress } from "../src/config/listenAddress.ts"
import type { TargetAllocatorConfig } from "../src/config/targetAllocator.ts"
import { Assignments } from "./allocator/Assignments.ts"
import { AllocatorConfig } from "./config/AllocatorConfig.ts"
import { ScrapeConfigSource } from "./config/ScrapeConfigSource.ts"
import { Discovery } from "./discovery/Discovery.ts"
import { providersLive } from "./discovery/live.ts"
import type { Providers } from "./discovery/Providers.ts"
import { httpServer, httpsServer } from "./http/Server.ts"
import { ClientCertificates } from "./http/tls.ts"
import { Kubernetes } from "./kubernetes/Kubernetes.ts"
import { Membership } from "./membership/Membership.ts"

export interface AppOverrides {
  readonly membership?: Layer.Layer<Membership>
  /** For tests: the Kubernetes API to use instead of the one the kubeconfig names. */
  readonly kubernetes?: Layer.Layer<Kubernetes>
  /** For tests: how long membership changes are coalesced (upstream: 5 s). */
  readonly membershipCoalesceMs?: number
  /** For tests: how long discovery updates are coalesced (upstream: 5 s). */
  readonly discoveryCoalesce?: Duration.Input
  readonly scrapeConfigs?: Layer.Layer<ScrapeConfigSource, never, AllocatorConfig>
  readonly providers?: Layer.Layer<Providers>
}

export const membershipFor = (config: TargetAllocatorConfig, overrides: AppOverrides = {}) =>
  config.static_collectors !== undefined
    ? Membership.fixed(config.static_collectors)
    : Membership.pods({
      namespace: config.collector_namespace,
      selector: config.collector_selector,
      graceMs: config.collector_not_ready_grace_period,
      ...(overrides.membershipCoalesceMs === undefined ? {} : { coalesceMs: overrides.membershipCoalesceMs })
    }).pipe(Layer.provide(overrides.kubernetes ?? Kubernetes.layer(config.kube_config_file_path)))

export const appLayer = (config: TargetAllocatorConfig, overrides: AppOverrides = {}) => {
  const address = parseListenAddress(config.listen_addr)!
  const configLayer = AllocatorConfig.layer(config)
  const discovery = Discovery.layer(overrides.discoveryCoalesce ?? config.discovery_coalesce_interval).pipe(
    Layer.provide([
      overrides.scrapeConfigs ?? ScrapeConfigSource.fromFile,
      overrides.providers ?? providersLive(config.kube_config_file_path, config.collector_namespace || undefined)
    ])
  )
  const assignments = Assignments.layer.pipe(
    Layer.provide([discovery, overrides.membership ?? membershipFor(config, overrides)])
  )
  const plain = httpServer(address, config.allow_insecure_auth_secrets)
  const listeners = config.https.enabled
    ? Layer.merge(plain, httpsServer(parseListenAddress(config.https.listen_addr)!).pipe(
      Layer.provide(ClientCertificates.layer().pipe(Layer.provide(NodeServices.layer)))
    ))
    : plain
  return listeners.pipe(
    Layer.provideMerge(assignments),
    Layer.provideMerge(configLayer)
  )
}
