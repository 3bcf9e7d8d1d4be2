/**
 * The API connections discovery needs. A `kubernetes_sd_config` names its own (`api_server` with its HTTP client
 * settings, or `kubeconfig_file`) or uses the allocator's; each distinct connection is made once and shared.
 */
import type * as K8s from "@kubernetes/client-node"
import { Context, Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import type { KubernetesSdConfig } from "../../src/config/prometheus/sd/kubernetes.ts"
import { KubeConfigError } from "./errors.ts"
import { type Kubernetes, make } from "./Kubernetes.ts"
import { clientNode, type ClientNode } from "./clientNode.ts"
import { loadKubeConfig } from "./kubeConfig.ts"
import { undici } from "../undici.ts"

/** The connection a config asks for, as a key: equal keys share one client (and its watches). */
export const connectionKey = (c: KubernetesSdConfig): string =>
  c.api_server !== undefined && c.api_server !== ""
    ? `api:${c.api_server}:${JSON.stringify([c.basic_auth, c.authorization, c.tls_config, c.proxy_url], (_, v) => (typeof v?.reveal === "function" ? v.reveal() : v))}`
    : c.kubeconfig_file !== "" ? `file:${c.kubeconfig_file}` : "default"

const readTrimmed = (file: string) => readFileSync(file, "utf8").trim()
const base64 = (pem: string) => Buffer.from(pem).toString("base64")

/**
 * `authorization.credentials_file`: read for every request, as Prometheus does, so a rotated token is picked up,
 * and trimmed (client-node's own token-file support sends a trailing newline, which undici refuses).
 */
const credentialsFile: Parameters<K8s.KubeConfig["addAuthenticator"]>[0] = {
  isAuthProvider: (user) => user.authProvider?.name === "credentials-file",
  applyAuthentication: async (user, opts) => {
    opts.headers = { ...opts.headers, Authorization: `Bearer ${readTrimmed(user.authProvider.config.file)}` }
  }
}

/**
 * A connection from `api_server` and its HTTP client settings (what config/support.ts lets through); basic-auth
 * files are read when the connection is made.
 */
const fromApiServer = (k8s: ClientNode, c: KubernetesSdConfig): K8s.KubeConfig => {
  const server = c.api_server!
  const tls = c.tls_config
  const a = c.authorization
  const b = c.basic_auth
  const kc = new k8s.KubeConfig()
  kc.addAuthenticator(credentialsFile)
  kc.loadFromOptions({
    clusters: [{
      name: "sd",
      server,
      // client-node refuses plain http unless told to skip TLS verification, which then means nothing.
      skipTLSVerify: server.startsWith("http:") || (tls?.insecure_skip_verify ?? false),
      ...(tls?.ca_file ? { caFile: tls.ca_file } : {}),
      ...(tls?.ca ? { caData: base64(tls.ca) } : {}),
      ...(tls?.server_name ? { tlsServerName: tls.server_name } : {}),
      ...(c.proxy_url ? { proxyUrl: c.proxy_url } : {})
    }],
    users: [{
      name: "sd",
      ...(a?.credentials !== undefined ? { token: a.credentials.reveal() } : {}),
      ...(a?.credentials_file ? { authProvider: { name: "credentials-file", config: { file: a.credentials_file } } } : {}),
      ...(b !== undefined
        ? {
          username: b.username || (b.username_file ? readTrimmed(b.username_file) : ""),
          password: b.password?.reveal() || (b.password_file ? readTrimmed(b.password_file) : "")
        }
        : {}),
      ...(tls?.cert_file ? { certFile: tls.cert_file } : {}),
      ...(tls?.cert ? { certData: base64(tls.cert) } : {}),
      ...(tls?.key_file ? { keyFile: tls.key_file } : {}),
      ...(tls?.key !== undefined ? { keyData: base64(tls.key.reveal()) } : {})
    }],
    contexts: [{ name: "sd", cluster: "sd", user: "sd" }],
    currentContext: "sd"
  })
  return kc
}

export class KubeClients extends Context.Service<KubeClients, {
  readonly forConfig: (c: KubernetesSdConfig) => Effect.Effect<Kubernetes["Service"], KubeConfigError>
}>()("target-allocator/KubeClients") {
  /** `defaultPath`: the allocator's own kubeconfig setting, for configs that name no connection. */
  static readonly layer = (defaultPath: string) =>
    Layer.sync(KubeClients, () => {
      const clients = new Map<string, Kubernetes["Service"]>()
      return {
        forConfig: (c) =>
          Effect.suspend(() => {
            const key = connectionKey(c)
            const known = clients.get(key)
            if (known !== undefined) return Effect.succeed(known)
            const kc = c.api_server !== undefined && c.api_server !== ""
              ? Effect.flatMap(clientNode, (k8s) =>
                Effect.try({ try: () => fromApiServer(k8s, c), catch: (e) => new KubeConfigError({ message: `api_server ${c.api_server}: ${(e as Error).message}` }) }))
              : loadKubeConfig(c.kubeconfig_file !== "" ? c.kubeconfig_file : defaultPath)
            return Effect.map(Effect.all([clientNode, undici, kc]), ([k8s, u, k]) => {
              const client = make(k8s, u, k)
              clients.set(key, client)
              return client
            })
          })
      }
    })

  /** Every config gets the same API: for tests with an in-memory cluster. */
  static readonly fixed = (kubernetes: Kubernetes["Service"]) =>
    Layer.succeed(KubeClients, { forConfig: () => Effect.succeed(kubernetes) })
}

