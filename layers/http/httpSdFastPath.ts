/**
 * The HTTP_SD hot path: `GET /jobs/<job>/targets?collector_id=<id>`, which every collector polls for every job.
 * It is answered in Node's `request` event, from the current snapshot, without a fiber: the answer is a cached
 * body, and the Effect router's per-request work (request and response objects, a fiber, the middleware) cost
 * twice the rest of the request (bench/README.md, httpSd). Everything else it declines, including this route's
 * errors and the collector map without `collector_id`, goes on to the Effect router (routes.ts), which answers
 * the same route the same way.
 */
import { Effect, Metric, SubscriptionRef } from "effect"
import type { EventEmitter } from "node:events"
import type { IncomingMessage, ServerResponse } from "node:http"
import { negotiate } from "../../src/http/contentEncoding.ts"
import { InvalidEscape } from "../../src/http/queryEscape.ts"
import { parseJobTargetsRequest } from "../../src/http/requestTarget.ts"
import { httpSdGzipOf, httpSdOf } from "../../src/serving/snapshot.ts"
import { Assignments } from "../allocator/Assignments.ts"
import { httpDuration } from "../telemetry/metrics.ts"

/** Answers the request and returns `true`, or returns `false` without touching it. */
export type FastPath = (request: IncomingMessage, response: ServerResponse) => boolean

export const httpSdFastPath = Effect.gen(function*() {
  const { current } = yield* Assignments
  const context = yield* Effect.context<never>()
  const observe = Metric.withAttributes(httpDuration, { path: "/jobs/:job_id/targets" })
  const fast: FastPath = (request, response) => {
    const url = request.url
    if (request.method !== "GET" || url === undefined || !url.startsWith("/jobs/")) return false
    const started = performance.now()
    const parsed = parseJobTargetsRequest(url)
    if (parsed === undefined || parsed instanceof InvalidEscape || parsed.collectorId === undefined) return false
    const { job, collectorId } = parsed
    const snapshot = SubscriptionRef.getUnsafe(current)
    const { body, headers } = negotiate(
      request.headers["accept-encoding"],
      () => httpSdOf(snapshot, job, collectorId),
      () => httpSdGzipOf(snapshot, job, collectorId)
    )
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length, ...headers })
    response.end(body)
    observe.updateUnsafe((performance.now() - started) / 1000, context)
    return true
  }
  return fast
})

type Emit = (event: string | symbol, ...args: Array<unknown>) => boolean

/** `server`, with its `request` events offered to `fast` before they reach the listeners (the Effect router). */
export const withFastPath = <S extends EventEmitter>(server: S, fast: FastPath): S => {
  const target = server as unknown as { emit: Emit }
  const emit = target.emit.bind(server)
  target.emit = (event, ...args) =>
    event === "request" && fast(args[0] as IncomingMessage, args[1] as ServerResponse) ? true : emit(event, ...args)
  return server
}
