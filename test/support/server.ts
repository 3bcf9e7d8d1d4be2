/** Starts the real program on 127.0.0.1:0 inside the test process, as the CLI would, and stops it. */
import { Context, Effect, Exit, Layer, Scope, Stream, SubscriptionRef } from "effect"
import { HttpServer } from "effect/http"
import { Assignments } from "../../layers/allocator/Assignments.ts"
import { appLayer, type AppOverrides } from "../../layers/app.ts"
import type { Snapshot } from "../../src/serving/snapshot.ts"
import { loadConfig } from "./config.ts"

export interface RunningServer {
  readonly url: string
  /** Resolves with the first published snapshot that satisfies `predicate`. */
  readonly until: (predicate: (s: Snapshot) => boolean) => Promise<Snapshot>
  readonly close: () => Promise<void>
  /** The allocator's published snapshots, as the HTTP layer reads them. */
  readonly current: SubscriptionRef.SubscriptionRef<Snapshot>
}

export const startServer = async (configText: string, overrides: AppOverrides = {}): Promise<RunningServer> => {
  const config = loadConfig(configText, {}, { listen_addr: "127.0.0.1:0" })
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(appLayer(config, overrides), scope))
  const address = Context.get(context, HttpServer.HttpServer).address
  if (address._tag === "UnixPathAddress") throw new Error("expected a TCP address")
  const url = `http://127.0.0.1:${address.port}`
  const current = Context.get(context, Assignments).current
  return {
    url,
    until: (predicate) =>
      Effect.runPromise(SubscriptionRef.changes(current).pipe(Stream.filter(predicate), Stream.runHead, Effect.map((o) => {
        if (o._tag === "None") throw new Error("the pipeline stopped")
        return o.value
      }))),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
    current
  }
}

/** A GET as a collector would send it. */
export const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers })
  return { status: res.status, type: res.headers.get("content-type"), encoding: res.headers.get("content-encoding"), body: await res.text() }
}
