/**
 * `http_sd_configs`: the URL polled every `refresh_interval` (Prometheus's request headers, status and content-type
 * checks, and document rules); a failure is logged and counted, and the last good targets stay.
 */
import { Effect, Metric, Queue, Schedule, Stream } from "effect"
import type { HttpSdConfig } from "../../src/config/prometheus/sd/http.ts"
import { parseGroupsDocument, vanished } from "../../src/discovery/groupsDocument.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import { httpSdFailures } from "../telemetry/metrics.ts"
import { undici } from "../undici.ts"
import { makeHttpRequester } from "./httpClient.ts"
import { DiscoveryError, fingerprint, type Provider } from "./Provider.ts"

const contentType = /^application\/json(;\s*charset=("utf-8"|utf-8))?$/i

export const httpProvider = (job: string, index: number, config: HttpSdConfig, userAgent: string): Provider => ({
  job,
  mechanism: "http_sd_configs",
  key: `http_sd_configs/${index}#${fingerprint(config)}`,
  updates: Stream.callback<ReadonlyArray<TargetGroup>, DiscoveryError>((queue) =>
    Effect.gen(function*() {
      const u = yield* undici
      const client = yield* Effect.acquireRelease(Effect.sync(() => makeHttpRequester(u, config)), (c) => Effect.promise(c.close))
      const source = (i: number) => `${config.url}:${i}`
      let lastLength = 0
      const fail = (message: string) => new DiscoveryError({ mechanism: "http_sd_configs", job, message: `${config.url}: ${message}` })

      const refresh = Effect.tryPromise({
        try: () =>
          client.get(config.url, {
            "user-agent": userAgent,
            accept: "application/json",
            "x-prometheus-refresh-interval-seconds": String(config.refresh_interval / 1000)
          }, config.refresh_interval),
        catch: (e) => fail((e as Error).message)
      }).pipe(
        Effect.flatMap(({ status, statusCode, contentType: type, body }) => {
          if (statusCode !== 200) return Effect.fail(fail(`server returned HTTP status ${status}`))
          if (!contentType.test(type.trim())) return Effect.fail(fail(`unsupported content type ${JSON.stringify(type)}`))
          let doc: unknown
          try {
            doc = JSON.parse(body)
          } catch (e) {
            return Effect.fail(fail((e as Error).message))
          }
          const groups = parseGroupsDocument(doc, source, ["__meta_url", config.url])
          return typeof groups === "string" ? Effect.fail(fail(groups)) : Effect.succeed(groups)
        }),
        Effect.flatMap((groups) =>
          Effect.gen(function*() {
            yield* Queue.offer(queue, [...groups, ...vanished(source, groups.length, lastLength)])
            lastLength = groups.length
          })),
        Effect.catch((e) =>
          Effect.gen(function*() {
            yield* Metric.update(httpSdFailures, 1)
            yield* Effect.logError(`http_sd: job ${JSON.stringify(job)}: ${e.message}; keeping the last good targets`)
          }))
      )
      yield* refresh.pipe(Effect.repeat(Schedule.spaced(config.refresh_interval)), Effect.forkScoped)
    })
  )
})
