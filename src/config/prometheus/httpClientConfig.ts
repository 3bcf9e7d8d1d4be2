/**
 * Prometheus's `HTTPClientConfig` (prometheus/common): the auth, TLS and proxy settings a scrape job (and the
 * HTTP-based discovery mechanisms) carry inline, with `Validate`'s checks and normalisation: `bearer_token` and
 * `bearer_token_file` become `authorization` of type `Bearer`, and an empty authorization type is `Bearer`.
 */
import { Schema } from "effect"
import { issue, type ConfigIssue, type Path } from "../issues.ts"
import { Bool, field, SecretText, Text } from "../scalars.ts"
import type { Secret } from "../secret.ts"

const tlsVersions = ["TLS13", "TLS12", "TLS11", "TLS10"] as const
const TLSVersion = Text.pipe(Schema.decodeTo(Schema.Literals(tlsVersions).annotate({ expected: "one of TLS13, TLS12, TLS11, TLS10" })))

const optionalText = field(Text, undefined, undefined)
const optionalSecret = field(SecretText, undefined, undefined)

export const TLSConfig = Schema.Struct({
  ca: optionalText,
  cert: optionalText,
  key: optionalSecret,
  ca_file: optionalText,
  cert_file: optionalText,
  key_file: optionalText,
  ca_ref: optionalText,
  cert_ref: optionalText,
  key_ref: optionalText,
  server_name: optionalText,
  insecure_skip_verify: field(Bool, false, false),
  min_version: field(TLSVersion, undefined, undefined),
  max_version: field(TLSVersion, undefined, undefined)
}).annotate({ expected: "a TLS config (a mapping)" })
export type TLSConfig = typeof TLSConfig.Type

export const BasicAuth = Schema.Struct({
  username: optionalText,
  username_file: optionalText,
  username_ref: optionalText,
  password: optionalSecret,
  password_file: optionalText,
  password_ref: optionalText
}).annotate({ expected: "a basic_auth mapping" })

export const Authorization = Schema.Struct({
  type: optionalText,
  credentials: optionalSecret,
  credentials_file: optionalText,
  credentials_ref: optionalText
}).annotate({ expected: "an authorization mapping" })
export type Authorization = typeof Authorization.Type

const ProxyHeader = Schema.Record(Schema.String, Schema.Array(SecretText))

export const proxyFields = {
  proxy_url: optionalText,
  no_proxy: optionalText,
  proxy_from_environment: field(Bool, false, false),
  proxy_connect_header: field(ProxyHeader, undefined, undefined)
}

export const OAuth2 = Schema.Struct({
  client_id: optionalText,
  client_secret: optionalSecret,
  client_secret_file: optionalText,
  client_secret_ref: optionalText,
  client_certificate_key_id: optionalText,
  client_certificate_key: optionalSecret,
  client_certificate_key_file: optionalText,
  client_certificate_key_ref: optionalText,
  grant_type: optionalText,
  signature_algorithm: optionalText,
  iss: optionalText,
  audience: optionalText,
  claims: field(Schema.Record(Schema.String, Schema.Unknown), undefined, undefined),
  scopes: field(Schema.Array(Text), undefined, undefined),
  token_url: optionalText,
  endpoint_params: field(Schema.Record(Schema.String, Text), undefined, undefined),
  tls_config: field(TLSConfig, undefined, undefined),
  ...proxyFields
}).annotate({ expected: "an oauth2 mapping" })

const Header = Schema.Struct({
  values: field(Schema.Array(Text), undefined, undefined),
  secrets: field(Schema.Array(SecretText), undefined, undefined),
  files: field(Schema.Array(Text), undefined, undefined)
})

/** The inline fields, to spread into a struct that embeds `HTTPClientConfig`. */
export const httpClientFields = {
  basic_auth: field(BasicAuth, undefined, undefined),
  authorization: field(Authorization, undefined, undefined),
  oauth2: field(OAuth2, undefined, undefined),
  bearer_token: optionalSecret,
  bearer_token_file: optionalText,
  tls_config: field(TLSConfig, undefined, undefined),
  follow_redirects: field(Bool, true, false),
  enable_http2: field(Bool, true, false),
  ...proxyFields,
  http_headers: field(Schema.Record(Schema.String, Header), undefined, undefined)
}

const HttpClientStruct = Schema.Struct(httpClientFields)
export type HttpClientConfig = typeof HttpClientStruct.Type

const set = (v: string | Secret | undefined): boolean => v !== undefined && (typeof v === "string" ? v : v.reveal()) !== ""
const count = (...vs: ReadonlyArray<boolean>) => vs.filter(Boolean).length

const validateTls = (t: TLSConfig | undefined, path: Path): ConfigIssue | undefined => {
  if (t === undefined) return undefined
  if (count(set(t.ca), set(t.ca_file), set(t.ca_ref)) > 1) return issue(path, "at most one of ca, ca_file & ca_ref must be configured")
  if (count(set(t.cert), set(t.cert_file), set(t.cert_ref)) > 1) return issue(path, "at most one of cert, cert_file & cert_ref must be configured")
  if (count(set(t.key), set(t.key_file), set(t.key_ref)) > 1) return issue(path, "at most one of key and key_file must be configured")
  const cert = set(t.cert) || set(t.cert_file) || set(t.cert_ref)
  const key = set(t.key) || set(t.key_file) || set(t.key_ref)
  if (cert && !key) return issue(path, "exactly one of key or key_file must be configured when a client certificate is configured")
  if (key && !cert) return issue(path, "exactly one of cert or cert_file must be configured when a client key is configured")
  return undefined
}

const validateProxy = (p: Pick<HttpClientConfig, keyof typeof proxyFields>, path: Path): ConfigIssue | undefined => {
  const url = set(p.proxy_url)
  if (p.proxy_connect_header !== undefined && Object.keys(p.proxy_connect_header).length > 0 && !p.proxy_from_environment && !url) {
    return issue(path, "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured")
  }
  if (p.proxy_from_environment && url) return issue(path, "if proxy_from_environment is configured, proxy_url must not be configured")
  if (p.proxy_from_environment && set(p.no_proxy)) return issue(path, "if proxy_from_environment is configured, no_proxy must not be configured")
  if (p.proxy_url === undefined && set(p.no_proxy)) return issue(path, "if no_proxy is configured, proxy_url must also be configured")
  return undefined
}

const reservedHeaders = new Set([
  "Authorization", "Host", "Content-Encoding", "Content-Length", "Content-Type", "User-Agent", "Connection",
  "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Www-Authenticate", "Accept-Encoding",
  "X-Prometheus-Remote-Write-Version", "X-Prometheus-Remote-Read-Version", "X-Prometheus-Scrape-Timeout-Seconds",
  "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"
])
const canonicalHeader = (h: string) => h.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())

/** `HTTPClientConfig.Validate`: the checks in order, and the normalised config. */
export const validateHttpClient = <C extends HttpClientConfig>(c: C, path: Path): C | ConfigIssue => {
  if (set(c.bearer_token) && set(c.bearer_token_file)) return issue(path, "at most one of bearer_token & bearer_token_file must be configured")
  if ((c.basic_auth !== undefined || c.oauth2 !== undefined) && (set(c.bearer_token) || set(c.bearer_token_file))) {
    return issue(path, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
  }
  const b = c.basic_auth
  if (b !== undefined && count(set(b.username), set(b.username_file), set(b.username_ref)) > 1) {
    return issue([...path, "basic_auth"], "at most one of basic_auth username, username_file & username_ref must be configured")
  }
  if (b !== undefined && count(set(b.password), set(b.password_file), set(b.password_ref)) > 1) {
    return issue([...path, "basic_auth"], "at most one of basic_auth password, password_file & password_ref must be configured")
  }
  let normalized: C = c
  if (c.authorization !== undefined) {
    const a = c.authorization
    if (set(c.bearer_token) || set(c.bearer_token_file)) return issue(path, "authorization is not compatible with bearer_token & bearer_token_file")
    if (count(set(a.credentials), set(a.credentials_file), set(a.credentials_ref)) > 1) {
      return issue([...path, "authorization"], "at most one of authorization credentials & credentials_file must be configured")
    }
    const type = (a.type ?? "").trim() || "Bearer"
    if (type.toLowerCase() === "basic") return issue([...path, "authorization", "type"], `authorization type cannot be set to "basic", use "basic_auth" instead`)
    if (c.basic_auth !== undefined || c.oauth2 !== undefined) return issue(path, "at most one of basic_auth, oauth2 & authorization must be configured")
    normalized = { ...c, authorization: { ...a, type } }
  } else if (set(c.bearer_token)) {
    normalized = { ...c, authorization: { type: "Bearer", credentials: c.bearer_token }, bearer_token: undefined }
  } else if (set(c.bearer_token_file)) {
    normalized = { ...c, authorization: { type: "Bearer", credentials_file: c.bearer_token_file }, bearer_token_file: undefined }
  }
  const o = c.oauth2
  if (o !== undefined) {
    if (c.basic_auth !== undefined) return issue(path, "at most one of basic_auth, oauth2 & authorization must be configured")
    if (!set(o.client_id)) return issue([...path, "oauth2"], "oauth2 client_id must be configured")
    if (!set(o.token_url)) return issue([...path, "oauth2"], "oauth2 token_url must be configured")
    if (o.grant_type === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      if (count(set(o.client_certificate_key), set(o.client_certificate_key_file), set(o.client_certificate_key_ref)) > 1) {
        return issue([...path, "oauth2"], "at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer")
      }
      if (set(o.signature_algorithm) && !["RS256", "RS384", "RS512"].includes(o.signature_algorithm!)) {
        return issue([...path, "oauth2"], "valid signature algorithms are RS256, RS384 and RS512")
      }
    } else if (count(set(o.client_secret), set(o.client_secret_file), set(o.client_secret_ref)) > 1) {
      return issue([...path, "oauth2"], "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials")
    }
    const tls = validateTls(o.tls_config, [...path, "oauth2", "tls_config"])
    if (tls !== undefined) return tls
    const proxy = validateProxy(o, [...path, "oauth2"])
    if (proxy !== undefined) return proxy
  }
  const tls = validateTls(c.tls_config, [...path, "tls_config"])
  if (tls !== undefined) return tls
  const proxy = validateProxy(c, path)
  if (proxy !== undefined) return proxy
  for (const name of Object.keys(c.http_headers ?? {})) {
    if (reservedHeaders.has(canonicalHeader(name))) return issue([...path, "http_headers", name], `setting header ${JSON.stringify(canonicalHeader(name))} is not allowed`)
  }
  return normalized
}
