import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Metric, Queue, Stream } from "effect"
import { TestClock } from "effect/testing"
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { httpProvider } from "../../layers/discovery/http.ts"
import { httpSdFailures } from "../../layers/telemetry/metrics.ts"
import type { HttpSdConfig } from "../../src/config/prometheus/sd/http.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import * as L from "../../src/labels/labels.ts"
import { prometheusJobs } from "../support/config.ts"

interface Answer {
  readonly status?: number
  readonly type?: string
  readonly body: string
}

/** An http_sd endpoint on loopback whose next answers the test sets, recording each request's headers. */
const sdServer = Effect.acquireRelease(
  Effect.promise(() =>
    new Promise<{ server: Server; url: string; answer: { current: Answer }; requests: Array<IncomingHttpHeaders> }>((resolve) => {
      const answer = { current: { body: "[]" } as Answer }
      const requests: Array<IncomingHttpHeaders> = []
      const server = createServer((req, res) => {
        requests.push(req.headers)
        res.writeHead(answer.current.status ?? 200, { "content-type": answer.current.type ?? "application/json" })
        res.end(answer.current.body)
      })
      server.listen(0, "127.0.0.1", () =>
        resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`, answer, requests }))
    })
  ),
  ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
)

/** An http_sd_config as the config file gives it. */
const httpSd = (yaml: string): HttpSdConfig => prometheusJobs(`scrape_configs: [{job_name: j, http_sd_configs: [${yaml}]}]`)[0]!.http_sd_configs![0]!

const addresses = (g: TargetGroup) => g.targets.map((t) => L.get(t, "__address__"))

/** Waits, in real time as the request is real I/O, until the provider has counted `n` failures. */
const failuresReach = (n: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    while ((yield* Metric.value(httpSdFailures)).count < n) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 2)))
  })

describe("the http_sd provider", () => {
  it.effect("polls every refresh_interval with Prometheus's headers, labels groups with __meta_url, and empties vanished groups", () =>
    Effect.gen(function*() {
      const sd = yield* sdServer
      sd.answer.current = { body: JSON.stringify([{ targets: ["a:1", "b:1"], labels: { env: "prod" } }, { targets: ["c:1"] }]) }
      const config = httpSd(`{url: "${sd.url}", refresh_interval: 30s, authorization: {credentials: tok3n}}`)
      const updates = yield* Queue.unbounded<ReadonlyArray<TargetGroup>>()
      const fiber = yield* httpProvider("j", 0, config, "otel-ta/test").updates.pipe(
        Stream.runForEach((u) => Queue.offer(updates, u)),
        Effect.forkChild
      )
      const first = yield* Queue.take(updates)
      assert.deepStrictEqual(first.map((g) => [g.source, addresses(g)]), [[`${sd.url}:0`, ["a:1", "b:1"]], [`${sd.url}:1`, ["c:1"]]])
      assert.deepStrictEqual(L.toRecord(first[0]!.labels), { __meta_url: sd.url, env: "prod" })
      const headers = sd.requests[0]!
      assert.strictEqual(headers["user-agent"], "otel-ta/test")
      assert.strictEqual(headers["accept"], "application/json")
      assert.strictEqual(headers["x-prometheus-refresh-interval-seconds"], "30")
      assert.strictEqual(headers["authorization"], "Bearer tok3n")

      sd.answer.current = { body: JSON.stringify([{ targets: ["a:2"] }]) }
      yield* TestClock.adjust("30 seconds")
      const second = yield* Queue.take(updates)
      assert.deepStrictEqual(second.map((g) => [g.source, addresses(g)]), [[`${sd.url}:0`, ["a:2"]], [`${sd.url}:1`, []]])
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("keeps the last good targets when the endpoint fails, answers the wrong type or a broken document", () =>
    Effect.gen(function*() {
      const sd = yield* sdServer
      sd.answer.current = { body: JSON.stringify([{ targets: ["a:1"] }]) }
      const config = httpSd(`{url: "${sd.url}", refresh_interval: 10s}`)
      const updates = yield* Queue.unbounded<ReadonlyArray<TargetGroup>>()
      const fiber = yield* httpProvider("j", 0, config, "ua").updates.pipe(
        Stream.runForEach((u) => Queue.offer(updates, u)),
        Effect.forkChild
      )
      yield* Queue.take(updates)
      const failuresBefore = (yield* Metric.value(httpSdFailures)).count
      const bad: ReadonlyArray<Answer> = [
        { status: 500, body: "boom" },
        { type: "text/plain", body: "[]" },
        { body: "[{" },
        { body: JSON.stringify([{ targets: ["a:1"], lables: {} }]) },
        { type: "application/json; charset=latin1", body: "[]" }
      ]
      for (const [i, answer] of bad.entries()) {
        sd.answer.current = answer
        yield* TestClock.adjust("10 seconds")
        yield* failuresReach(failuresBefore + i + 1)
      }
      assert.strictEqual(sd.requests.length, 1 + bad.length)
      assert.strictEqual(yield* Queue.size(updates), 0, "a failed refresh leaves the targets alone")

      // A JSON content type with the UTF-8 charset parameter is accepted, and recovery is immediate.
      sd.answer.current = { type: `application/json; charset="utf-8"`, body: JSON.stringify([{ targets: ["z:9"] }]) }
      yield* TestClock.adjust("10 seconds")
      const recovered = yield* Queue.take(updates)
      assert.deepStrictEqual(recovered.map(addresses), [["z:9"]])
      yield* Fiber.interrupt(fiber)
    }))
})
