import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, FileSystem, Layer } from "effect"
import { TestClock } from "effect/testing"
import type { Server } from "node:https"
import { AllocatorConfig } from "../../layers/config/AllocatorConfig.ts"
import { ClientCertificates } from "../../layers/http/tls.ts"
import { makePki, opensslAvailable } from "../support/certs.ts"
import { loadConfig } from "../support/config.ts"

const settle = Effect.repeat(Effect.yieldNow, { times: 20 })

describe.skipIf(!opensslAvailable)("mTLS certificates (needs openssl)", () => {
  it.effect("are reloaded when the files change, and a broken renewal keeps the previous ones", () =>
    Effect.gen(function*() {
      const pki = makePki()
      pki.ca("ca")
      pki.leaf("one", "ca", "serverAuth", "localhost")
      pki.leaf("two", "ca", "serverAuth", "localhost")
      const files = new Map<string, Uint8Array>([
        ["/tls/ca.crt", pki.read("ca.crt")], ["/tls/tls.crt", pki.read("one.crt")], ["/tls/tls.key", pki.read("one.key")]
      ])
      const fs = FileSystem.layerNoop({
        readFile: (path) => {
          const b = files.get(path)
          return b === undefined ? Effect.die(`no file ${path}`) : Effect.succeed(b)
        }
      })
      const config = loadConfig(`
static_collectors: [c0]
https: {enabled: true, ca_file_path: /tls/ca.crt, tls_cert_file_path: /tls/tls.crt, tls_key_file_path: /tls/tls.key}
config: {scrape_configs: [{job_name: j}]}
`)
      const ctx = yield* Layer.build(ClientCertificates.layer().pipe(Layer.provide([fs, AllocatorConfig.layer(config)])))
      const certs = Context.get(ctx, ClientCertificates)
      const contexts: Array<unknown> = []
      certs.attach({ on: () => undefined, setSecureContext: (c: unknown) => contexts.push(c) } as unknown as Server)
      assert.deepStrictEqual(certs.current().cert, pki.read("one.crt"))

      files.set("/tls/tls.crt", pki.read("two.crt"))
      files.set("/tls/tls.key", pki.read("two.key"))
      yield* settle
      yield* TestClock.adjust("10 seconds")
      yield* settle
      assert.deepStrictEqual(certs.current().cert, pki.read("two.crt"))
      assert.strictEqual(contexts.length, 1)

      files.set("/tls/tls.key", Buffer.from("not a key"))
      yield* TestClock.adjust("10 seconds")
      yield* settle
      assert.deepStrictEqual(certs.current().cert, pki.read("two.crt"))
      assert.strictEqual(contexts.length, 1)
    }))
})
