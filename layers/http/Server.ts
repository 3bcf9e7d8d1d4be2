/**
 * The listeners: plain HTTP (always) and, with `https.enabled`, the mTLS listener that serves the same routes but
 * real secret values in `/scrape_configs`. Both have timeouts so a slow or idle client cannot hold a socket forever.
 */
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { HttpRouter } from "effect/http"
import { createServer } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { ListenAddress } from "../../src/config/listenAddress.ts"
import { httpSdFastPath, withFastPath } from "./httpSdFastPath.ts"
import { routes } from "./routes.ts"
import { SecretsPolicy } from "./SecretsPolicy.ts"
import { ClientCertificates } from "./tls.ts"

export const serverOptions = {
  // Upstream sets only a 90s header timeout; these bound the whole request as well.
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 65_000
} as const

const listen = (address: ListenAddress) => ({
  port: address.port,
  ...(address.host === undefined ? {} : { host: address.host }),
  gracefulShutdownTimeout: "5 seconds" as const
})

const app = () =>
  HttpRouter.serve(routes, {
    disableLogger: true,
    // Job names can be long (`serviceMonitor/<namespace>/<name>/<n>`, escaped): allow long path segments.
    routerConfig: { maxParamLength: 8192 }
  })

export const httpServer = (address: ListenAddress, revealSecrets: boolean) =>
  Layer.unwrap(Effect.gen(function*() {
    const fast = yield* httpSdFastPath
    return app().pipe(
      Layer.provide(SecretsPolicy.layer(revealSecrets)),
      Layer.provideMerge(NodeHttpServer.layer(() => withFastPath(createServer(serverOptions), fast), listen(address)))
    )
  }))

/** The mTLS listener: a client certificate signed by the configured CA is required; secrets are served. */
export const httpsServer = (address: ListenAddress) =>
  Layer.unwrap(Effect.gen(function*() {
    const certificates = yield* ClientCertificates
    const fast = yield* httpSdFastPath
    const server = withFastPath(createHttpsServer({ ...serverOptions, ...certificates.current(), ...certificates.serverOptions }), fast)
    certificates.attach(server)
    return app().pipe(
      Layer.provide(SecretsPolicy.layer(true)),
      Layer.provide(NodeHttpServer.layer(() => server as unknown as ReturnType<typeof createServer>, listen(address)))
    )
  }))
