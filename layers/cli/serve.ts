/** The default command: load the configuration, then serve until SIGTERM. */
import { Effect, Layer, Option } from "effect"
import { Flag } from "effect/cli"
import { overridesFromEnv, type Overrides } from "../../src/config/load.ts"
import { appLayer } from "../app.ts"
import { loadConfigFile } from "../config/AllocatorConfig.ts"

const optional = <A>(flag: Flag.Flag<A>, description: string) => flag.pipe(Flag.withDescription(description), Flag.optional)

/** Upstream's flags, with upstream's names. A flag overrides the file only when given. */
export const serveFlags = {
  configFile: Flag.String("config-file").pipe(
    Flag.withDescription("The path to the target allocator's config file"),
    Flag.withDefault("/conf/targetallocator.yaml")
  ),
  listenAddr: optional(Flag.String("listen-addr"), "The address where this service serves (default :8080)"),
  kubeconfigPath: optional(Flag.String("kubeconfig-path"), "Absolute path to the kubeconfig file"),
  enablePrometheusCrWatcher: optional(Flag.Boolean("enable-prometheus-cr-watcher"), "Enable Prometheus CRs as target sources"),
  enableHttpsServer: optional(Flag.Boolean("enable-https-server"), "Enable the mTLS server for /scrape_configs with secrets"),
  listenAddrHttps: optional(Flag.String("listen-addr-https"), "The address of the mTLS server (default :8443)"),
  httpsCaFile: optional(Flag.String("https-ca-file"), "The CA bundle the mTLS server verifies clients with"),
  httpsTlsCertFile: optional(Flag.String("https-tls-cert-file"), "The mTLS server's certificate"),
  httpsTlsKeyFile: optional(Flag.String("https-tls-key-file"), "The mTLS server's private key"),
  allowInsecureAuthSecrets: optional(Flag.Boolean("allow-insecure-auth-secrets"), "Serve real secret values on plain HTTP")
}

type FlagValue<F> = F extends Flag.Flag<infer A> ? A : never
type ServeFlags = { readonly [K in keyof typeof serveFlags]: FlagValue<typeof serveFlags[K]> }

export const flagOverrides = (f: ServeFlags): Overrides => ({
  listen_addr: Option.getOrUndefined(f.listenAddr),
  kube_config_file_path: Option.getOrUndefined(f.kubeconfigPath),
  prometheus_cr_enabled: Option.getOrUndefined(f.enablePrometheusCrWatcher),
  https_enabled: Option.getOrUndefined(f.enableHttpsServer),
  https_listen_addr: Option.getOrUndefined(f.listenAddrHttps),
  https_ca_file_path: Option.getOrUndefined(f.httpsCaFile),
  https_tls_cert_file_path: Option.getOrUndefined(f.httpsTlsCertFile),
  https_tls_key_file_path: Option.getOrUndefined(f.httpsTlsKeyFile),
  allow_insecure_auth_secrets: Option.getOrUndefined(f.allowInsecureAuthSecrets)
})

export const serve = (f: ServeFlags) =>
  Effect.gen(function*() {
    const config = yield* loadConfigFile(f.configFile, overridesFromEnv(process.env), flagOverrides(f))
    yield* Effect.logInfo(
      `starting: ${config.config.scrape_configs.length} jobs, strategy ${config.allocation_strategy}, ` +
        `${config.static_collectors?.length ?? 0} static collectors`
    )
    return yield* Layer.launch(appLayer(config))
  })
