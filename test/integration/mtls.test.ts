/**
 * The mTLS listener (`https.enabled`): the same API, with real secret values in `/scrape_configs`, for clients
 * presenting a certificate from the configured CA with the client-auth usage; nobody else gets in.
 */
import { request } from "node:https"
import { createServer } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makePki, opensslAvailable, type Pki } from "../support/certs.ts"
import { get, startServer, type RunningServer } from "../support/server.ts"

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const tlsGet = (port: number, path: string, client: { cert?: Buffer; key?: Buffer }, ca: Buffer) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, ca, ...client, servername: "localhost" }, (res) => {
      let body = ""
      res.on("data", (d) => (body += d))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on("error", reject)
    req.end()
  })

describe.skipIf(!opensslAvailable)("the mTLS listener (needs openssl to make certificates)", () => {
  let pki: Pki
  let server: RunningServer
  let port: number
  beforeAll(async () => {
    pki = makePki()
    pki.ca("ca")
    pki.ca("other-ca")
    pki.leaf("server", "ca", "serverAuth", "localhost")
    pki.leaf("client", "ca", "clientAuth")
    pki.leaf("not-a-client", "ca", "serverAuth")
    pki.leaf("stranger", "other-ca", "clientAuth")
    port = await freePort()
    server = await startServer(`
static_collectors: [c0]
https:
  enabled: true
  listen_addr: "127.0.0.1:${port}"
  ca_file_path: ${pki.path("ca.crt")}
  tls_cert_file_path: ${pki.path("server.crt")}
  tls_key_file_path: ${pki.path("server.key")}
config:
  scrape_configs:
    - job_name: secured
      basic_auth: {username: u, password: hunter2}
      static_configs: [{targets: ["10.0.0.1:80"]}]
`)
    await server.until((s) => s.ready)
  })
  afterAll(() => server?.close())

  const client = () => ({ cert: pki.read("client.crt"), key: pki.read("client.key") })

  it("serves real secrets to a client with a certificate from the CA", async () => {
    const res = await tlsGet(port, "/scrape_configs", client(), pki.read("ca.crt"))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).secured.basic_auth.password).toBe("hunter2")
  })

  it("keeps redacting on the plain listener", async () => {
    const res = await get(`${server.url}/scrape_configs`)
    expect(JSON.parse(res.body).secured.basic_auth.password).toBe("<secret>")
    expect(res.body).not.toContain("hunter2")
  })

  it("serves the rest of the API on the mTLS listener too", async () => {
    const res = await tlsGet(port, "/jobs/secured/targets?collector_id=c0", client(), pki.read("ca.crt"))
    expect(JSON.parse(res.body)).toEqual([{ targets: ["10.0.0.1:80"], labels: { __address__: "10.0.0.1:80" } }])
  })

  it("refuses a client without a certificate", async () => {
    await expect(tlsGet(port, "/scrape_configs", {}, pki.read("ca.crt"))).rejects.toThrow()
  })

  it("refuses a certificate from another CA", async () => {
    await expect(tlsGet(port, "/scrape_configs", { cert: pki.read("stranger.crt"), key: pki.read("stranger.key") }, pki.read("ca.crt")))
      .rejects.toThrow()
  })

  it("refuses a certificate that is not for client authentication", async () => {
    await expect(tlsGet(port, "/scrape_configs", { cert: pki.read("not-a-client.crt"), key: pki.read("not-a-client.key") }, pki.read("ca.crt")))
      .rejects.toThrow()
  })
})
