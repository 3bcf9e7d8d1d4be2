/** The plain-HTTP listener, with timeouts so a slow or idle client cannot hold a socket forever. */
import { NodeHttpServer } from "@effect/platform-node"
import { Layer } from "effect"
import { HttpRouter } from "effect/http"
import { createServer } from "node:http"
import type { ListenAddress } from "../../src/config/listenAddress.ts"
import { routes } from "./routes.ts"

export const serverOptions = {
  // Upstream sets only a 90s header timeout; these bound the whole request as well.
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 65_000
} as const

export const httpServer = (address: ListenAddress) =>
  HttpRouter.serve(routes, {
    disableLogger: true,
    // Job names can be long (`serviceMonitor/<namespace>/<name>/<n>`, escaped): allow long path segments.
    routerConfig: { maxParamLength: 8192 }
  }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(serverOptions), {
      port: address.port,
      ...(address.host === undefined ? {} : { host: address.host }),
      gracefulShutdownTimeout: "5 seconds"
    }))
  )
