/**
 * Certificates of the mTLS listener: the server's certificate and key, and the CA that client certificates must
 * chain to. Read at start (a bad file stops the start, naming the setting), then watched: a renewed certificate or
 * CA is used for new connections without a restart; a broken renewal is logged and the previous one kept.
 */
import { Context, Data, Effect, FileSystem, Layer, Schedule } from "effect"
import type { Server } from "node:https"
import { createSecureContext, type TLSSocket } from "node:tls"
import { ConfigError, issue } from "../../src/config/issues.ts"
import { AllocatorConfig } from "../config/AllocatorConfig.ts"

export interface CertificateFiles {
  readonly ca: Buffer
  readonly cert: Buffer
  readonly key: Buffer
}

class BadCertificates extends Data.TaggedError("BadCertificates")<{ readonly field: string; readonly message: string }> {}

const clientAuth = "1.3.6.1.5.5.7.3.2"

export class ClientCertificates extends Context.Service<ClientCertificates, {
  readonly current: () => CertificateFiles
  readonly serverOptions: { readonly requestCert: true; readonly rejectUnauthorized: true; readonly minVersion: "TLSv1.2" }
  /** Enforces the client-auth key usage and takes reloaded certificates into account. */
  readonly attach: (server: Server) => void
}>()("target-allocator/ClientCertificates") {
  static readonly layer = (reloadEvery = "10 seconds" as const) =>
    Layer.effect(
      ClientCertificates,
      Effect.gen(function*() {
        const config = yield* AllocatorConfig
        const fs = yield* FileSystem.FileSystem
        const files = [
          ["ca_file_path", config.https.ca_file_path],
          ["tls_cert_file_path", config.https.tls_cert_file_path],
          ["tls_key_file_path", config.https.tls_key_file_path]
        ] as const
        const read = Effect.gen(function*() {
          const [ca, cert, key] = yield* Effect.forEach(files, ([field, path]) =>
            fs.readFile(path).pipe(
              Effect.map((b) => Buffer.from(b)),
              Effect.mapError((e) => new BadCertificates({ field: `https.${field}`, message: `cannot read ${JSON.stringify(path)}: ${e.message}` }))
            ))
          const loaded = { ca: ca!, cert: cert!, key: key! }
          // Parsing them now turns a broken PEM into a message at start rather than a failed handshake later.
          yield* Effect.try({
            try: () => createSecureContext(loaded),
            catch: (e) => new BadCertificates({ field: "https", message: `the certificate, key or CA is not valid PEM: ${(e as Error).message}` })
          })
          return loaded
        })
        let current = yield* read.pipe(
          Effect.mapError((e) => new ConfigError({ source: "https", issues: [issue(e.field.split("."), e.message)] }))
        )
        const servers = new Set<Server>()
        yield* read.pipe(
          Effect.flatMap((next) =>
            Effect.sync(() => {
              if (next.ca.equals(current.ca) && next.cert.equals(current.cert) && next.key.equals(current.key)) return false
              current = next
              for (const s of servers) s.setSecureContext(next)
              return true
            })),
          Effect.tap((changed) => (changed ? Effect.logInfo("mTLS certificates reloaded") : Effect.void)),
          Effect.catch((e) => Effect.logError(`mTLS certificates not reloaded, keeping the previous ones: ${e.field}: ${e.message}`)),
          Effect.repeat(Schedule.spaced(reloadEvery)),
          Effect.delay(reloadEvery),
          Effect.forkScoped
        )
        return {
          current: () => current,
          serverOptions: { requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.2" },
          attach: (server: Server) => {
            servers.add(server)
            server.on("secureConnection", (socket: TLSSocket) => {
              // As upstream: the client certificate must allow client authentication (no EKU at all allows any use).
              const usages = socket.getPeerX509Certificate()?.keyUsage
              if (usages !== undefined && !usages.includes(clientAuth)) socket.destroy()
            })
          }
        }
      })
    )
}
