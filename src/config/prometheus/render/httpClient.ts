/** Prometheus's `HTTPClientConfig` (inlined in scrape configs and SD configs) as it marshals. */
import type { HttpClientConfig, TLSConfig } from "../httpClientConfig.ts"
import { type Json, nz, secret } from "./json.ts"

/** Go's URL.Redacted: a password in the userinfo becomes "xxxxx" (Prometheus's URL type marshals so). */
export const redactUrl = (u: string): string => {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#@]*)@/.exec(u)
  if (m === null || !m[2]!.includes(":")) return u
  return `${m[1]}${m[2]!.slice(0, m[2]!.indexOf(":"))}:xxxxx@${u.slice(m[0].length)}`
}

const tlsDocument = (t: TLSConfig | undefined): Json | undefined => {
  if (t === undefined) return undefined
  const doc = {
    ca: nz(t.ca), cert: nz(t.cert), key: secret(t.key), ca_file: nz(t.ca_file), cert_file: nz(t.cert_file),
    key_file: nz(t.key_file), ca_ref: nz(t.ca_ref), cert_ref: nz(t.cert_ref), key_ref: nz(t.key_ref),
    server_name: nz(t.server_name), min_version: nz(t.min_version), max_version: nz(t.max_version)
  }
  const empty = Object.values(doc).every((v) => v === undefined) && !t.insecure_skip_verify
  return empty ? undefined : { ...doc, insecure_skip_verify: t.insecure_skip_verify }
}

const proxyDocument = (p: Pick<HttpClientConfig, "proxy_url" | "no_proxy" | "proxy_from_environment" | "proxy_connect_header">) => ({
  proxy_url: p.proxy_url === undefined || p.proxy_url === "" ? undefined : redactUrl(p.proxy_url),
  no_proxy: nz(p.no_proxy),
  proxy_from_environment: nz(p.proxy_from_environment),
  proxy_connect_header: nz(p.proxy_connect_header)
})

export const httpClientDocument = (c: HttpClientConfig) => {
  const b = c.basic_auth
  const a = c.authorization
  const o = c.oauth2
  return {
    basic_auth: b === undefined ? undefined : {
      username: nz(b.username), username_file: nz(b.username_file), username_ref: nz(b.username_ref),
      password: secret(b.password), password_file: nz(b.password_file), password_ref: nz(b.password_ref)
    },
    authorization: a === undefined ? undefined : {
      type: nz(a.type), credentials: secret(a.credentials), credentials_file: nz(a.credentials_file), credentials_ref: nz(a.credentials_ref)
    },
    oauth2: o === undefined ? undefined : {
      client_id: nz(o.client_id), client_secret: secret(o.client_secret), client_secret_file: nz(o.client_secret_file),
      client_secret_ref: nz(o.client_secret_ref), client_certificate_key_id: nz(o.client_certificate_key_id),
      client_certificate_key: secret(o.client_certificate_key), client_certificate_key_file: nz(o.client_certificate_key_file),
      client_certificate_key_ref: nz(o.client_certificate_key_ref), grant_type: nz(o.grant_type),
      signature_algorithm: nz(o.signature_algorithm), iss: nz(o.iss), audience: nz(o.audience),
      claims: nz(o.claims) as Json | undefined, scopes: nz(o.scopes), token_url: nz(o.token_url),
      endpoint_params: nz(o.endpoint_params), tls_config: tlsDocument(o.tls_config), ...proxyDocument(o)
    },
    bearer_token: secret(c.bearer_token),
    bearer_token_file: nz(c.bearer_token_file),
    tls_config: tlsDocument(c.tls_config),
    follow_redirects: c.follow_redirects,
    enable_http2: c.enable_http2,
    ...proxyDocument(c),
    http_headers: nz(c.http_headers)
  }
}

