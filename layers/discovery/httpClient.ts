/**
 * An HTTP client from a Prometheus `HTTPClientConfig` (the auth, TLS and proxy settings of `http_sd_configs`):
 * basic auth and authorization headers (from the config or from files, read per request so rotated files are
 * picked up), custom headers, TLS (CA, client certificate, server name, versions, verification), a proxy, and
 * redirects. What it cannot do (OAuth2, secret references, proxy-from-environment) is refused at start-up by
 * config/support.ts rather than ignored.
 */
import { readFileSync } from "node:fs"
import { STATUS_CODES } from "node:http"
import type { Dispatcher } from "undici"
import type { HttpClientConfig } from "../../src/config/prometheus/httpClientConfig.ts"
import type { Undici } from "../undici.ts"

export interface HttpAnswer {
  /** As Go prints it: "500 Internal Server Error". */
  readonly status: string
  readonly statusCode: number
  readonly contentType: string
  readonly body: string
}

export interface HttpRequester {
  readonly get: (url: string, headers: Record<string, string>, timeoutMs: number) => Promise<HttpAnswer>
  /** Closes the connections kept alive. */
  readonly close: () => Promise<void>
}

const fileOr = (value: string | undefined, file: string | undefined): string | undefined =>
  value !== undefined && value !== "" ? value : file !== undefined && file !== "" ? readFileSync(file, "utf8").trim() : undefined

export const makeHttpRequester = ({ Agent, interceptors, ProxyAgent, request }: Undici, c: HttpClientConfig): HttpRequester => {
  const tls = c.tls_config
  const connect = {
    rejectUnauthorized: !(tls?.insecure_skip_verify ?? false),
    ...(tls?.server_name ? { servername: tls.server_name } : {}),
    ...(tls?.min_version ? { minVersion: tls.min_version.replace("TLS1", "TLSv1.") as "TLSv1.2" } : {}),
    ...(tls?.max_version ? { maxVersion: tls.max_version.replace("TLS1", "TLSv1.") as "TLSv1.3" } : {})
  }
  // Certificates are read when the dispatcher is made; a changed file takes effect on the next config change.
  const ca = fileOr(tls?.ca, tls?.ca_file)
  const cert = fileOr(tls?.cert, tls?.cert_file)
  const key = fileOr(tls?.key?.reveal(), tls?.key_file)
  const tlsOptions = { ...connect, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }
  const base: Dispatcher = c.proxy_url
    ? new ProxyAgent({ uri: c.proxy_url, requestTls: tlsOptions })
    : new Agent({ connect: tlsOptions })
  // Go's client follows at most 10 redirects. (undici's request, unlike fetch, has no "bad ports" list either.)
  const dispatcher = c.follow_redirects ? base.compose(interceptors.redirect({ maxRedirections: 10 })) : base

  const authHeader = (): Record<string, string> => {
    const b = c.basic_auth
    if (b !== undefined) {
      const user = fileOr(b.username, b.username_file) ?? ""
      const password = fileOr(b.password?.reveal(), b.password_file) ?? ""
      return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` }
    }
    const a = c.authorization
    if (a !== undefined) {
      const credentials = fileOr(a.credentials?.reveal(), a.credentials_file)
      return credentials === undefined ? {} : { authorization: `${a.type ?? "Bearer"} ${credentials}` }
    }
    return {}
  }

  const configured = (): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const [name, h] of Object.entries(c.http_headers ?? {})) {
      const values = [...(h.values ?? []), ...(h.secrets ?? []).map((s) => s.reveal()), ...(h.files ?? []).map((f) => readFileSync(f, "utf8").trim())]
      if (values.length > 0) out[name] = values.join(", ")
    }
    return out
  }

  return {
    close: () => base.close(),
    get: async (url, headers, timeoutMs) => {
      const res = await request(url, {
        headers: { ...headers, ...configured(), ...authHeader() },
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs)
      })
      const type = res.headers["content-type"]
      return {
        status: `${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ""}`.trim(),
        statusCode: res.statusCode,
        contentType: (Array.isArray(type) ? type[0] : type) ?? "",
        body: await res.body.text()
      }
    }
  }
}
