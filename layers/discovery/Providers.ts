/**
 * Which providers a scrape config needs: one per service-discovery block, in Prometheus's field order. Tests swap
 * in their own.
 */
import { Context, Effect, FileSystem, Layer } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import { KubeClients } from "../kubernetes/clients.ts"
import { Informers } from "../kubernetes/informers.ts"
import { DnsResolver, dnsProvider } from "./dns.ts"
import { fileProvider } from "./file.ts"
import { httpProvider } from "./http.ts"
import { kubernetesProvider } from "./kubernetes.ts"
import type { Provider } from "./Provider.ts"
import { staticProvider } from "./static.ts"

export const userAgent = "target-allocator/0.1.0"

export class Providers extends Context.Service<Providers, {
  readonly of: (sc: ScrapeConfig) => ReadonlyArray<Provider>
}>()("target-allocator/Providers") {
  /** `ownNamespace`: the allocator's namespace, for `kubernetes_sd_configs[].namespaces.own_namespace`. */
  static readonly layer = (ownNamespace: string | undefined) =>
    Layer.effect(
      Providers,
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const resolver = yield* DnsResolver
        const clients = yield* KubeClients
        const informers = yield* Informers
        return {
          of: (sc) => {
            const job = sc.job_name
            return [
              ...(sc.static_configs.length === 0 ? [] : [staticProvider(job, sc.static_configs)]),
              ...(sc.file_sd_configs ?? []).map((c, i) => fileProvider(job, i, c, fs)),
              ...(sc.http_sd_configs ?? []).map((c, i) => httpProvider(job, i, c, userAgent)),
              ...(sc.dns_sd_configs ?? []).map((c, i) => dnsProvider(job, i, c, resolver)),
              ...(sc.kubernetes_sd_configs ?? []).map((c, i) => kubernetesProvider(job, i, c, { clients, informers, ownNamespace }))
            ]
          }
        }
      })
    )

  /** Only `static_configs`: for tests and commands that need no I/O. */
  static readonly staticOnly = Layer.succeed(Providers, {
    of: (sc) => (sc.static_configs.length === 0 ? [] : [staticProvider(sc.job_name, sc.static_configs)])
  })
}
