/**
 * The upstream-compatible HTTP API. Every handler only copies bytes out of the current snapshot; nothing is
 * rendered per request except the small collector map, which reuses the cached HTTP_SD bytes.
 */
import { Effect, Layer, Metric, SubscriptionRef } from "effect"
import { type HttpServerError, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { PrometheusMetrics } from "effect/observability"
import { negotiate } from "../../src/http/contentEncoding.ts"
import { renderCollectorMap } from "../../src/http/jobs.ts"
import { InvalidEscape } from "../../src/http/queryEscape.ts"
import { parseJobTargetsRequest } from "../../src/http/requestTarget.ts"
import { httpSdGzipOf, httpSdOf } from "../../src/serving/snapshot.ts"
import { Assignments } from "../allocator/Assignments.ts"
import { httpDuration } from "../telemetry/metrics.ts"
import { SecretsPolicy } from "./SecretsPolicy.ts"

const json = (body: Uint8Array, status = 200) => HttpServerResponse.uint8Array(body, { status, contentType: "application/json" })
const notFound = HttpServerResponse.text("404 page not found", { status: 404 })

const timed = <E, R>(route: string, handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) => {
  const observe = Metric.withAttributes(httpDuration, { path: route })
  return Effect.suspend(() => {
    const started = performance.now()
    return Effect.tap(handler, () => Metric.update(observe, (performance.now() - started) / 1000))
  })
}

const snapshot = Assignments.use((a) => SubscriptionRef.get(a.current))

const concat = (parts: ReadonlyArray<string | Uint8Array>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)))

const negotiated = (request: HttpServerRequest.HttpServerRequest, identity: () => Uint8Array, gzip: () => Uint8Array) => {
  const { body, headers } = negotiate(request.headers["accept-encoding"], identity, gzip)
  return HttpServerResponse.uint8Array(body, { contentType: "application/json", headers })
}

// Requests with a `collector_id` are answered before they reach the router (httpSdFastPath.ts); this handler
// answers them the same way when they do (the routes alone, in tests), and answers the rest of the route.
const jobTargets = (request: HttpServerRequest.HttpServerRequest) =>
  timed("/jobs/:job_id/targets", Effect.suspend(() => {
    const parsed = parseJobTargetsRequest(request.url)
    if (parsed === undefined) return Effect.succeed(notFound)
    if (parsed instanceof InvalidEscape) return Effect.succeed(HttpServerResponse.text(parsed.message, { status: 400 }))
    const { job, collectorId } = parsed
    return Effect.map(snapshot, (s) => {
      if (collectorId !== undefined) return negotiated(request, () => httpSdOf(s, job, collectorId), () => httpSdGzipOf(s, job, collectorId))
      const names = s.collectors.map((c) => c.name)
      return json(concat(renderCollectorMap(job, names, (c) => httpSdOf(s, job, c))))
    })
  }))

// Gin's plain-text 404. The router gives up on some escapes before matching (`%zz`): such paths still
// belong to /jobs, whose handler reports the bad escape.
const notFoundHandler = HttpRouter.middleware<{ handles: HttpServerError.HttpServerError }>()(
  (app) =>
    app.pipe(Effect.catchReason("HttpServerError", "RouteNotFound", (reason) =>
      reason.request.method === "GET" && reason.request.url.startsWith("/jobs/")
        ? jobTargets(reason.request)
        : Effect.succeed(notFound))),
  { global: true }
)

export const routes = Layer.mergeAll(
  HttpRouter.add("GET", "/livez", HttpServerResponse.empty({ status: 200 })),
  HttpRouter.add(
    "GET",
    "/readyz",
    Effect.map(snapshot, (s) => HttpServerResponse.empty({ status: s.ready ? 200 : 503 }))
  ),
  HttpRouter.add(
    "GET",
    "/scrape_configs",
    timed("/scrape_configs", Effect.gen(function*() {
      const policy = yield* SecretsPolicy
      const s = yield* snapshot
      // Never an empty body: the collector does not look at the status and would apply "no jobs".
      if (s.scrapeConfigs === undefined) {
        return HttpServerResponse.text("not ready: no configuration applied yet", { status: 503 })
      }
      const body = policy.reveal ? s.scrapeConfigs.revealed : s.scrapeConfigs.redacted
      return negotiated(yield* HttpServerRequest.HttpServerRequest, () => body.identity, () => body.gzip)
    }))
  ),
  HttpRouter.add("GET", "/jobs", timed("/jobs", Effect.map(snapshot, (s) => json(s.jobsBody)))),
  HttpRouter.add("GET", "/jobs/:job_id/targets", jobTargets),
  PrometheusMetrics.layerHttp({ path: "/metrics" }),
  notFoundHandler
)
