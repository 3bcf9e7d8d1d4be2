/**
 * `dns_sd_configs`: every name resolved every `refresh_interval`; a failed lookup is logged and counted and that
 * name keeps its last targets (Prometheus sends nothing for it). The resolver is a service, so tests can point it
 * at a DNS server of their own on loopback.
 */
import { Context, Effect, Layer, Metric, Queue, Schedule, Stream } from "effect"
import { Resolver } from "node:dns/promises"
import type { DnsSdConfig } from "../../src/config/prometheus/sd/dns.ts"
import { dnsGroup, type DnsAnswer } from "../../src/discovery/dns.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import { dnsSdLookupFailures, dnsSdLookups } from "../telemetry/metrics.ts"
import { fingerprint, type Provider } from "./Provider.ts"

export class DnsResolver extends Context.Service<DnsResolver, {
  readonly lookup: (name: string, type: DnsSdConfig["type"]) => Promise<ReadonlyArray<DnsAnswer>>
}>()("target-allocator/DnsResolver") {
  /** The system's resolver, or the given servers (`host:port`). */
  static readonly layer = (servers?: ReadonlyArray<string>) =>
    Layer.sync(DnsResolver, () => {
      const r = new Resolver({ timeout: 5_000, tries: 2 })
      if (servers !== undefined) r.setServers([...servers])
      return {
        lookup: async (name, type) => {
          switch (type) {
            case "SRV": return (await r.resolveSrv(name)).map((s) => ({ type, target: s.name, port: s.port }))
            case "MX": return (await r.resolveMx(name)).map((m) => ({ type, target: m.exchange }))
            case "NS": return (await r.resolveNs(name)).map((n) => ({ type, target: n }))
            case "A": return (await r.resolve4(name)).map((a) => ({ type, address: a }))
            case "AAAA": return (await r.resolve6(name)).map((a) => ({ type, address: a }))
          }
        }
      }
    })
}

export const dnsProvider = (job: string, index: number, config: DnsSdConfig, resolver: DnsResolver["Service"]): Provider => ({
  job,
  mechanism: "dns_sd_configs",
  key: `dns_sd_configs/${index}#${fingerprint(config)}`,
  updates: Stream.callback<ReadonlyArray<TargetGroup>>((queue) =>
    Effect.gen(function*() {
      const refresh = Effect.gen(function*() {
        const groups: Array<TargetGroup> = []
        for (const name of config.names) {
          yield* Metric.update(dnsSdLookups, 1)
          const answer = yield* Effect.tryPromise(() => resolver.lookup(name, config.type)).pipe(Effect.result)
          if (answer._tag === "Success") groups.push(dnsGroup(name, config.port, answer.success))
          else {
            yield* Metric.update(dnsSdLookupFailures, 1)
            yield* Effect.logError(`dns_sd: job ${JSON.stringify(job)}: looking up ${config.type} ${name}: ${(answer.failure.cause as Error)?.message ?? answer.failure.message}; keeping its last targets`)
          }
        }
        yield* Queue.offer(queue, groups)
      })
      yield* refresh.pipe(Effect.repeat(Schedule.spaced(config.refresh_interval)), Effect.forkScoped)
    })
  )
})
