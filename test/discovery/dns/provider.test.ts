/**
 * `dns_sd_configs` end to end: the real `DnsResolver` (Node's `dns/promises` Resolver, i.e. c-ares) asks a DNS server
 * of our own on 127.0.0.1 (test/support/dnsServer.ts), and the provider's `updates` are checked against what
 * Prometheus 3.14's discovery/dns/dns.go (`refreshOne`, `lookupWithSearchPath`) would produce.
 *
 * Time: the provider repeats its refresh on `Schedule.spaced`, which sleeps on the TestClock, while each lookup is a
 * real UDP round trip. So the tests wait in real time (a few milliseconds, bounded) for an update to arrive, let the
 * provider's fiber reach its sleep, and only then move the TestClock by `refresh_interval`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Metric, Stream } from "effect"
import { PrometheusMetrics } from "effect/observability"
import { TestClock } from "effect/testing"
import { DnsResolver, dnsProvider } from "../../../layers/discovery/dns.ts"
import type { DnsSdConfig } from "../../../src/config/prometheus/sd/dns.ts"
import { dnsGroup, type DnsAnswer } from "../../../src/discovery/dns/group.ts"
import type { TargetGroupUpdate } from "../../../src/discovery/targetGroup.ts"
import * as L from "../../../src/labels/labels.ts"
import { encodeName, readName, startDnsServer, type DnsServer } from "../../support/dnsServer.ts"

// Lets forked fibers run up to their next suspension before the clock moves.
const settle = Effect.repeat(Effect.yieldNow, { times: 30 })

/** Real time, which the TestClock does not touch: for the UDP round trips. */
const realSleep = (ms: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Polls (real time, bounded) until `done`, then lets the provider reach its next sleep. */
const until = (done: () => boolean, what: string, timeoutMs = 3_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    while (!done()) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* realSleep(2)
    }
    yield* settle
  })

const dnsServer = Effect.acquireRelease(Effect.promise(startDnsServer), (s) => Effect.promise(() => s.close()))

type Update = ReadonlyArray<{ readonly source: string; readonly targets: ReadonlyArray<Record<string, string>> }>
const plain = (u: TargetGroupUpdate): Update =>
  u.map((g) => {
    assert.deepStrictEqual(g.labels, L.empty, "DNS groups carry no group labels")
    return { source: g.source, targets: g.targets.map(L.toRecord) }
  })

/** Runs `dnsProvider` against `server`, recording its updates; returns after the first one. */
const start = (server: DnsServer, config: Partial<DnsSdConfig> & Pick<DnsSdConfig, "names">, resolvConf = "") =>
  Effect.gen(function*() {
    const resolver = Context.get(yield* Layer.build(DnsResolver.layer({ servers: [server.address], resolvConf })), DnsResolver)
    const full: DnsSdConfig = { refresh_interval: 30_000, type: "SRV", port: 0, ...config }
    const seen: Array<Update> = []
    const fiber = yield* dnsProvider("dns-job", 0, full, resolver).updates.pipe(
      Stream.runForEach((u) => Effect.sync(() => void seen.push(plain(u)))),
      Effect.forkChild
    )
    yield* until(() => seen.length >= 1, "the first update")
    return { seen, fiber }
  })

/** The provider's first update for one config. */
const firstUpdate = (server: DnsServer, config: Partial<DnsSdConfig> & Pick<DnsSdConfig, "names">, resolvConf = "") =>
  Effect.gen(function*() {
    const { seen, fiber } = yield* start(server, config, resolvConf)
    yield* Fiber.interrupt(fiber)
    return seen[0]!
  })

/** A counter's value in the Prometheus exposition of the current registry. */
const counter = (name: string) =>
  Effect.map(PrometheusMetrics.format(), (text) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1))
  })

/** An isolated metric registry, so counts are this test's alone. */
const isolated = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.provideService(self, Metric.MetricRegistry, new Map())

describe("dns_sd_configs against a DNS server on loopback", () => {
  it.effect("SRV: target:port from each record, the record's target with its final dot, and its port", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("_metrics._tcp.example.org", "SRV", [
        { priority: 10, weight: 5, port: 9100, target: "node-1.example.org" },
        { priority: 20, weight: 0, port: 8443, target: "Node-2.Example.org." }
      ])
      const update = yield* firstUpdate(server, { names: ["_metrics._tcp.example.org"], type: "SRV", port: 1234 })
      assert.deepStrictEqual(update, [{
        source: "_metrics._tcp.example.org",
        targets: [
          {
            __address__: "node-1.example.org:9100",
            __meta_dns_name: "_metrics._tcp.example.org",
            __meta_dns_srv_record_target: "node-1.example.org.",
            __meta_dns_srv_record_port: "9100"
          },
          {
            // The port setting is ignored for SRV; the target's case is kept as the server wrote it.
            __address__: "Node-2.Example.org:8443",
            __meta_dns_name: "_metrics._tcp.example.org",
            __meta_dns_srv_record_target: "Node-2.Example.org.",
            __meta_dns_srv_record_port: "8443"
          }
        ]
      }])
      assert.deepStrictEqual(server.queries, [{ name: "_metrics._tcp.example.org", type: "SRV", rcode: 0 }])
    }))

  it.effect("SRV with the root as target (RFC 2782: service not available) gives Prometheus's \":port\"", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("_none._tcp.example.org", "SRV", [{ priority: 0, weight: 0, port: 9100, target: "." }])
      const update = yield* firstUpdate(server, { names: ["_none._tcp.example.org"] })
      // Prometheus: Target "." is kept in the label, trimmed to "" for the address: JoinHostPort("", "9100").
      assert.deepStrictEqual(update[0]?.targets, [{
        __address__: ":9100",
        __meta_dns_name: "_none._tcp.example.org",
        __meta_dns_srv_record_target: ".",
        __meta_dns_srv_record_port: "9100"
      }])
    }))

  it.effect("A: each address with the configured port, and no record-target labels", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("web.example.org", "A", ["10.0.0.1", "192.168.1.20"])
      const update = yield* firstUpdate(server, { names: ["web.example.org"], type: "A", port: 9100 })
      assert.deepStrictEqual(update, [{
        source: "web.example.org",
        targets: [
          { __address__: "10.0.0.1:9100", __meta_dns_name: "web.example.org" },
          { __address__: "192.168.1.20:9100", __meta_dns_name: "web.example.org" }
        ]
      }])
    }))

  it.effect("A through a CNAME: the CNAME is skipped, the addresses it leads to are the targets", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("www.example.org", "CNAME", ["web.example.org."])
      server.setRecords("web.example.org", "A", ["10.0.0.1"])
      const update = yield* firstUpdate(server, { names: ["www.example.org"], type: "A", port: 80 })
      assert.deepStrictEqual(update[0]?.targets, [{ __address__: "10.0.0.1:80", __meta_dns_name: "www.example.org" }])
    }))

  it.effect("AAAA: brackets around the address, in Go's canonical text form (RFC 5952)", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("v6.example.org", "AAAA", ["2001:DB8:0:0:1:0:0:1", "::1", "fe80::", "2001:db8:0:1:1:1:1:1"])
      const update = yield* firstUpdate(server, { names: ["v6.example.org"], type: "AAAA", port: 9100 })
      assert.deepStrictEqual(update[0]?.targets.map((t) => t["__address__"]), [
        "[2001:db8::1:0:0:1]:9100", // the first longest run of zeros, lower case
        "[::1]:9100",
        "[fe80::]:9100",
        "[2001:db8:0:1:1:1:1:1]:9100" // a single zero group is not shortened
      ])
      assert.deepStrictEqual(update[0]?.targets[0], { __address__: "[2001:db8::1:0:0:1]:9100", __meta_dns_name: "v6.example.org" })
    }))

  // Node prints these "::ffff:10.0.0.1" and "::10.0.0.1" (inet_ntop's forms). Prometheus formats
  // `addr.AAAA.String()` with Go's net.IP: a mapped address as plain IPv4, "::10.0.0.1" as "::a00:1".
  it.effect("AAAA holding IPv4-mapped and IPv4-compatible addresses: addresses as Go prints them", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("mapped.example.org", "AAAA", ["::ffff:10.0.0.1", "::10.0.0.1"])
      const update = yield* firstUpdate(server, { names: ["mapped.example.org"], type: "AAAA", port: 9100 })
      assert.deepStrictEqual(update[0]?.targets.map((t) => t["__address__"]), ["10.0.0.1:9100", "[::a00:1]:9100"])
    }))

  it.effect("MX: the exchange with the configured port; the label keeps the final dot", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("example.org", "MX", [{ preference: 10, exchange: "mx1.example.org" }, { preference: 20, exchange: "mx2.example.org." }])
      const update = yield* firstUpdate(server, { names: ["example.org"], type: "MX", port: 25 })
      assert.deepStrictEqual(update, [{
        source: "example.org",
        targets: [
          { __address__: "mx1.example.org:25", __meta_dns_name: "example.org", __meta_dns_mx_record_target: "mx1.example.org." },
          { __address__: "mx2.example.org:25", __meta_dns_name: "example.org", __meta_dns_mx_record_target: "mx2.example.org." }
        ]
      }])
    }))

  it.effect("NS: the name server with the configured port; the label keeps the final dot", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("example.org", "NS", ["ns1.example.org", "ns2.example.net."])
      const update = yield* firstUpdate(server, { names: ["example.org"], type: "NS", port: 53 })
      assert.deepStrictEqual(update, [{
        source: "example.org",
        targets: [
          { __address__: "ns1.example.org:53", __meta_dns_name: "example.org", __meta_dns_ns_record_target: "ns1.example.org." },
          { __address__: "ns2.example.net:53", __meta_dns_name: "example.org", __meta_dns_ns_record_target: "ns2.example.net." }
        ]
      }])
    }))

  it.effect("several names: one group per name, in config order, each with the name as written as source and label", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("a.example.org", "A", ["10.0.0.1"])
      server.setRecords("b.example.org", "A", ["10.0.0.2", "10.0.0.3"])
      server.setRecords("c.example.org", "A", ["10.0.0.4"])
      // "b" is written fully qualified: Prometheus keeps it so in the source and in __meta_dns_name.
      const update = yield* firstUpdate(server, { names: ["a.example.org", "b.example.org.", "c.example.org"], type: "A", port: 80 })
      assert.deepStrictEqual(update.map((g) => g.source), ["a.example.org", "b.example.org.", "c.example.org"])
      assert.deepStrictEqual(update[0]?.targets, [{ __address__: "10.0.0.1:80", __meta_dns_name: "a.example.org" }])
      assert.deepStrictEqual(update[1]?.targets, [
        { __address__: "10.0.0.2:80", __meta_dns_name: "b.example.org." },
        { __address__: "10.0.0.3:80", __meta_dns_name: "b.example.org." }
      ])
      assert.deepStrictEqual(update[2]?.targets, [{ __address__: "10.0.0.4:80", __meta_dns_name: "c.example.org" }])
      // One query per name per refresh, each name as written (the final dot is not sent as a label).
      assert.deepStrictEqual(server.queries.map((q) => q.name), ["a.example.org", "b.example.org", "c.example.org"])
    }))

  it.effect("a changed zone is picked up at the next refresh_interval, not before", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("_m._tcp.example.org", "SRV", [{ priority: 0, weight: 0, port: 9100, target: "a.example.org." }])
      const { seen, fiber } = yield* start(server, { names: ["_m._tcp.example.org"], refresh_interval: 30_000 })
      server.setRecords("_m._tcp.example.org", "SRV", [
        { priority: 0, weight: 0, port: 9100, target: "a.example.org." },
        { priority: 0, weight: 0, port: 9200, target: "b.example.org." }
      ])
      yield* TestClock.adjust("29 seconds")
      yield* settle
      yield* realSleep(50) // a lookup started now would have answered by then
      assert.strictEqual(seen.length, 1)
      assert.strictEqual(server.queries.length, 1)
      yield* TestClock.adjust("1 second")
      yield* until(() => seen.length >= 2, "the second refresh")
      assert.deepStrictEqual(seen[1]?.[0]?.targets.map((t) => t["__address__"]), ["a.example.org:9100", "b.example.org:9200"])
      // And again: every interval asks the server anew (Node's resolver caches nothing, as Prometheus's client).
      server.setRecords("_m._tcp.example.org", "SRV", [{ priority: 0, weight: 0, port: 9300, target: "c.example.org." }])
      yield* TestClock.adjust("30 seconds")
      yield* until(() => seen.length >= 3, "the third refresh")
      assert.deepStrictEqual(seen[2]?.[0]?.targets.map((t) => t["__address__"]), ["c.example.org:9300"])
      assert.strictEqual(server.queries.length, 3)
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("records with a TTL are still asked for anew at every refresh (no cache between us and the server)", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setTtl(3600)
      server.setRecords("web.example.org", "A", ["10.0.0.1"])
      const { seen, fiber } = yield* start(server, { names: ["web.example.org"], type: "A", port: 80, refresh_interval: 5_000 })
      server.setRecords("web.example.org", "A", ["10.0.0.2"])
      yield* TestClock.adjust("5 seconds")
      yield* until(() => seen.length >= 2, "the second refresh")
      assert.deepStrictEqual(seen[1]?.[0]?.targets.map((t) => t["__address__"]), ["10.0.0.2:80"])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("SERVFAIL: no group for that name (it keeps its last targets), a failure counted; the others go on", () =>
    isolated(Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("a.example.org", "A", ["10.0.0.1"])
      server.setRecords("b.example.org", "A", ["10.0.0.2"])
      const { seen, fiber } = yield* start(server, { names: ["a.example.org", "b.example.org"], type: "A", port: 80, refresh_interval: 10_000 })
      assert.deepStrictEqual(seen[0]?.map((g) => g.source), ["a.example.org", "b.example.org"])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookups_total"), 2)
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 0)

      server.failNext("a.example.org")
      server.setRecords("b.example.org", "A", ["10.0.0.3"])
      yield* TestClock.adjust("10 seconds")
      yield* until(() => seen.length >= 2, "the second refresh")
      // Only b's group: a's previous group stands wherever the update is applied.
      assert.deepStrictEqual(seen[1], [{ source: "b.example.org", targets: [{ __address__: "10.0.0.3:80", __meta_dns_name: "b.example.org" }] }])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookups_total"), 4)
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 1)
      // One query for the failed lookup: c-ares does not retry a SERVFAIL under Node (ARES_FLAG_NOCHECKRESP).
      assert.strictEqual(server.queries.filter((q) => q.name === "a.example.org" && q.rcode === 2).length, 1)

      // Healthy again: a's group comes back at the next interval.
      yield* TestClock.adjust("10 seconds")
      yield* until(() => seen.length >= 3, "the third refresh")
      assert.deepStrictEqual(seen[2]?.map((g) => g.source), ["a.example.org", "b.example.org"])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 1)
      yield* Fiber.interrupt(fiber)
    })))

  // Prometheus's lookupWithSearchPath treats NXDOMAIN from every name of the search list as a valid answer
  // ("outcome 2"): refreshOne sends the name's group with no targets, and counts no failure.
  it.effect("NXDOMAIN is an answer, as in Prometheus: the name's group is sent empty, no failure counted", () =>
    isolated(Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("gone.example.org", "A", ["10.0.0.1"])
      const { seen, fiber } = yield* start(server, { names: ["gone.example.org"], type: "A", port: 80, refresh_interval: 10_000 })
      server.remove("gone.example.org")
      yield* TestClock.adjust("10 seconds")
      yield* until(() => seen.length >= 2, "the second refresh")
      assert.strictEqual(server.queries.at(-1)?.rcode, 3)
      assert.deepStrictEqual(seen[1], [{ source: "gone.example.org", targets: [] }])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 0)
      yield* Fiber.interrupt(fiber)
    })))

  // NODATA: the name exists but has no records of the type. Prometheus gets RcodeSuccess with an empty answer
  // section ("outcome 1"), and sends an empty group.
  it.effect("NODATA is an answer, as in Prometheus: the name's group is sent empty, no failure counted", () =>
    isolated(Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("_m._tcp.example.org", "SRV", [{ priority: 0, weight: 0, port: 9100, target: "a.example.org." }])
      const { seen, fiber } = yield* start(server, { names: ["_m._tcp.example.org"], refresh_interval: 10_000 })
      server.setRecords("_m._tcp.example.org", "SRV", [])
      server.setRecords("_m._tcp.example.org", "A", ["10.0.0.1"]) // the name still exists
      yield* TestClock.adjust("10 seconds")
      yield* until(() => seen.length >= 2, "the second refresh")
      assert.deepStrictEqual(server.queries.at(-1), { name: "_m._tcp.example.org", type: "SRV", rcode: 0 })
      assert.deepStrictEqual(seen[1], [{ source: "_m._tcp.example.org", targets: [] }])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 0)
      yield* Fiber.interrupt(fiber)
    })))

  // In a Kubernetes pod (search "<ns>.svc.cluster.local svc.cluster.local cluster.local", ndots:5) a short name
  // resolves through the search list, as in Prometheus (miekg/dns NameList over resolv.conf).
  it.effect("a relative name is tried under each search domain, in order, until one has records", () =>
    Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("_m._tcp.web.other.example.org", "SRV", [{ priority: 0, weight: 0, port: 9100, target: "a.example.org." }])
      const update = yield* isolated(firstUpdate(server, { names: ["_m._tcp.web"] }, "search svc.example.org other.example.org\noptions ndots:5\n"))
      assert.deepStrictEqual(update.map((g) => [g.source, g.targets.map((t) => t["__address__"])]), [["_m._tcp.web", ["a.example.org:9100"]]])
      assert.deepStrictEqual(server.queries.map((q) => [q.name, q.rcode]), [["_m._tcp.web.svc.example.org", 3], ["_m._tcp.web.other.example.org", 0]])
    }))

  it.effect("a failure under one search name, NXDOMAIN under the others: the lookup failed (the targets stay)", () =>
    isolated(Effect.gen(function*() {
      const server = yield* dnsServer
      server.setRecords("web.svc.example.org", "A", ["10.0.0.1"])
      const { seen, fiber } = yield* start(server, { names: ["web"], type: "A", port: 80, refresh_interval: 10_000 }, "search svc.example.org\n")
      assert.deepStrictEqual(seen[0]?.[0]?.targets.map((t) => t["__address__"]), ["10.0.0.1:80"])
      server.remove("web.svc.example.org")
      server.failNext("web")
      yield* TestClock.adjust("10 seconds")
      yield* until(() => server.queries.length >= 3, "the second refresh's queries")
      yield* until(() => seen.length >= 2, "the second refresh")
      assert.deepStrictEqual(seen[1], [])
      assert.strictEqual(yield* counter("prometheus_sd_dns_lookup_failures_total"), 1)
      yield* Fiber.interrupt(fiber)
    })))
})

/**
 * Prometheus's `refreshOne`, written out by hand for each record type: what its labels are for a given answer.
 * Node's resolver hands names over without the final dot; miekg/dns hands them over rooted. dnsGroup must give
 * Prometheus's labels either way.
 */
describe("dnsGroup, against Prometheus's refreshOne", () => {
  const cases: ReadonlyArray<{
    readonly what: string
    readonly name: string
    readonly port: number
    readonly answers: ReadonlyArray<DnsAnswer>
    readonly expected: ReadonlyArray<Record<string, string>>
  }> = [
    {
      what: "SRV, names as Node gives them and rooted",
      name: "_x._tcp.example.org",
      port: 9999,
      answers: [{ type: "SRV", target: "a.example.org", port: 1 }, { type: "SRV", target: "b.example.org.", port: 65535 }],
      expected: [
        { __address__: "a.example.org:1", __meta_dns_name: "_x._tcp.example.org", __meta_dns_srv_record_target: "a.example.org.", __meta_dns_srv_record_port: "1" },
        { __address__: "b.example.org:65535", __meta_dns_name: "_x._tcp.example.org", __meta_dns_srv_record_target: "b.example.org.", __meta_dns_srv_record_port: "65535" }
      ]
    },
    {
      what: "SRV to the root",
      name: "_x._tcp.example.org",
      port: 0,
      answers: [{ type: "SRV", target: "", port: 80 }, { type: "SRV", target: ".", port: 81 }],
      expected: [
        { __address__: ":80", __meta_dns_name: "_x._tcp.example.org", __meta_dns_srv_record_target: ".", __meta_dns_srv_record_port: "80" },
        { __address__: ":81", __meta_dns_name: "_x._tcp.example.org", __meta_dns_srv_record_target: ".", __meta_dns_srv_record_port: "81" }
      ]
    },
    {
      what: "MX",
      name: "example.org.",
      port: 25,
      answers: [{ type: "MX", target: "mx.example.org" }, { type: "MX", target: "MX2.example.org." }],
      expected: [
        { __address__: "mx.example.org:25", __meta_dns_name: "example.org.", __meta_dns_mx_record_target: "mx.example.org." },
        { __address__: "MX2.example.org:25", __meta_dns_name: "example.org.", __meta_dns_mx_record_target: "MX2.example.org." }
      ]
    },
    {
      what: "NS",
      name: "example.org",
      port: 53,
      answers: [{ type: "NS", target: "ns.example.org" }, { type: "NS", target: "ns.example.net." }],
      expected: [
        { __address__: "ns.example.org:53", __meta_dns_name: "example.org", __meta_dns_ns_record_target: "ns.example.org." },
        { __address__: "ns.example.net:53", __meta_dns_name: "example.org", __meta_dns_ns_record_target: "ns.example.net." }
      ]
    },
    {
      what: "A",
      name: "web",
      port: 8080,
      answers: [{ type: "A", address: "10.1.2.3" }],
      expected: [{ __address__: "10.1.2.3:8080", __meta_dns_name: "web" }]
    },
    {
      what: "AAAA",
      name: "web",
      port: 8080,
      answers: [{ type: "AAAA", address: "2001:db8::1" }, { type: "AAAA", address: "::" }],
      expected: [{ __address__: "[2001:db8::1]:8080", __meta_dns_name: "web" }, { __address__: "[::]:8080", __meta_dns_name: "web" }]
    },
    {
      what: "an empty answer (NXDOMAIN from every search name, or NODATA)",
      name: "nothing.example.org",
      port: 80,
      answers: [],
      expected: []
    }
  ]
  for (const c of cases) {
    it(c.what, () => {
      const group = dnsGroup(c.name, c.port, c.answers)
      assert.strictEqual(group.source, c.name)
      assert.deepStrictEqual(group.labels, L.empty)
      assert.deepStrictEqual(group.targets.map(L.toRecord), c.expected)
    })
  }
})

describe("the test DNS server's name codec", () => {
  it("reads compressed names (RFC 1035 §4.1.4) and refuses pointer loops", () => {
    const header = Buffer.alloc(12)
    const base = encodeName("Example.org.") // at offset 12
    const www = Buffer.concat([Buffer.from([3]), Buffer.from("www"), Buffer.from([0xc0, 12])]) // "www" + pointer
    const msg = Buffer.concat([header, base, www])
    assert.deepStrictEqual(readName(msg, 12), { name: "Example.org", end: 12 + base.length })
    assert.deepStrictEqual(readName(msg, 12 + base.length), { name: "www.Example.org", end: msg.length })
    assert.deepStrictEqual(encodeName("."), Buffer.from([0]))
    assert.throws(() => readName(Buffer.concat([header, Buffer.from([0xc0, 12])]), 12))
  })
})
