/**
 * `dns_sd_configs`: every name resolved every `refresh_interval`, through resolv.conf's search list as Prometheus
 * does. A name that does not exist under any search name (NXDOMAIN everywhere), or has no records of the type,
 * is an answer: its group is sent empty. Any other failure is logged and counted, and that name keeps its last
 * targets (Prometheus sends nothing for it). The resolver is a service, so tests point it at a DNS server of their
 * own on loopback.
 */
import { Context, Effect, Layer, Metric, Queue, Schedule, Stream } from "effect"
import { Resolver } from "node:dns/promises"
import { readFileSync } from "node:fs"
import type { DnsSdConfig } from "../../src/config/prometheus/sd/dns.ts"
import { dnsGroup, type DnsAnswer } from "../../src/discovery/dns/group.ts"
import { nameList, parseResolvConf, type ResolvConf } from "../../src/discovery/dns/searchPath.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import { dnsSdLookupFailures, dnsSdLookups } from "../telemetry/metrics.ts"
import { fingerprint, type Provider } from "./Provider.ts"

/** One server's reply to one question: records (none for NODATA), or "no such name". */
export type DnsReply = ReadonlyArray<DnsAnswer> | "NXDOMAIN"

export class DnsResolver extends Context.Service<DnsResolver, {
  /** Asks for exactly this name; rejects when no server gives a usable reply. */
  readonly query: (name: string, type: DnsSdConfig["type"]) => Promise<DnsReply>
  /** The search list, read anew for every lookup (as Prometheus does), so an edited resolv.conf applies. */
  readonly resolvConf: () => ResolvConf
}>()("target-allocator/DnsResolver") {
  /** The system's servers and `/etc/resolv.conf`; or, for tests, the given servers (`host:port`) and search list. */
  static readonly layer = (options?: { readonly servers: ReadonlyArray<string>; readonly resolvConf?: string }) =>
    Layer.sync(DnsResolver, () => {
      const r = new Resolver({ timeout: 5_000, tries: 2 })
      if (options !== undefined) r.setServers([...options.servers])
      const fixed = options === undefined ? undefined : parseResolvConf(options.resolvConf ?? "")
      const ask = async (name: string, type: DnsSdConfig["type"]): Promise<ReadonlyArray<DnsAnswer>> => {
        switch (type) {
          case "SRV": return (await r.resolveSrv(name)).map((s) => ({ type, target: s.name, port: s.port }))
          case "MX": return (await r.resolveMx(name)).map((m) => ({ type, target: m.exchange }))
          case "NS": return (await r.resolveNs(name)).map((n) => ({ type, target: n }))
          case "A": return (await r.resolve4(name)).map((a) => ({ type, address: a }))
          case "AAAA": return (await r.resolve6(name)).map((a) => ({ type, address: a }))
        }
      }
      return {
        query: (name, type) =>
          ask(name, type).catch((e: NodeJS.ErrnoException) => {
            // c-ares's names for the two answers that are not failures.
            if (e.code === "ENOTFOUND") return "NXDOMAIN"
            if (e.code === "ENODATA") return []
            throw e
          }),
        resolvConf: () => fixed ?? parseResolvConf(readFileSync("/etc/resolv.conf", "utf8"))
      }
    })
}

/** Prometheus's `lookupWithSearchPath`: the first name with records wins; NXDOMAIN everywhere is an empty answer. */
const lookupWithSearchPath = (resolver: DnsResolver["Service"], name: string, type: DnsSdConfig["type"]) =>
  Effect.gen(function*() {
    const conf = yield* Effect.try({ try: resolver.resolvConf, catch: (e) => new Error(`could not load resolv.conf: ${(e as Error).message}`) })
    const failures: Array<string> = []
    for (const candidate of nameList(name, conf)) {
      const reply = yield* Effect.tryPromise({
        try: () => resolver.query(candidate, type),
        catch: (e) => `${candidate}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
      }).pipe(Effect.result)
      if (reply._tag === "Failure") failures.push(reply.failure)
      else if (reply.success !== "NXDOMAIN") return reply.success
    }
    if (failures.length === 0) return []
    return yield* Effect.fail(new Error(`could not resolve ${JSON.stringify(name)}: ${failures.join("; ")}`))
  })

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
          const answer = yield* lookupWithSearchPath(resolver, name, config.type).pipe(Effect.result)
          if (answer._tag === "Success") groups.push(dnsGroup(name, config.port, answer.success))
          else {
            yield* Metric.update(dnsSdLookupFailures, 1)
            yield* Effect.logError(`dns_sd: job ${JSON.stringify(job)}: looking up ${config.type} ${name}: ${answer.failure.message}; keeping its last targets`)
          }
        }
        yield* Queue.offer(queue, groups)
      })
      yield* refresh.pipe(Effect.repeat(Schedule.spaced(config.refresh_interval)), Effect.forkScoped)
    })
  )
})
