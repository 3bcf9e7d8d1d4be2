/**
 * The `*_sd_configs` blocks as Prometheus marshals them (its struct tags: which fields are always written, which
 * `omitempty`). The collector parses every block before it replaces them with its own http_sd, so each must read
 * back as valid Prometheus config: durations as `5m`, never milliseconds. Mechanisms other than these four are
 * refused at start-up (config/support.ts), so they never reach rendering.
 */
import { formatPrometheusDuration } from "../../duration.ts"
import type { ScrapeConfig } from "../scrapeConfig.ts"
import type { DnsSdConfig } from "../sd/dns.ts"
import type { FileSdConfig } from "../sd/file.ts"
import type { HttpSdConfig } from "../sd/http.ts"
import type { KubernetesSdConfig } from "../sd/kubernetes.ts"
import { httpClientDocument, redactUrl } from "./httpClient.ts"
import { type Json, nz } from "./json.ts"

const interval = (ms: number) => (ms === 0 ? undefined : formatPrometheusDuration(ms))

const kubernetes = (c: KubernetesSdConfig): Json => {
  const a = c.attach_metadata
  return {
    api_server: c.api_server === undefined || c.api_server === "" ? undefined : redactUrl(c.api_server),
    role: c.role,
    kubeconfig_file: c.kubeconfig_file,
    ...httpClientDocument(c),
    namespaces: c.namespaces.own_namespace || c.namespaces.names.length > 0 ? { own_namespace: c.namespaces.own_namespace, names: c.namespaces.names } : undefined,
    selectors: nz(c.selectors.map((s) => ({ role: nz(s.role), label: nz(s.label), field: nz(s.field) }))),
    attach_metadata: a.node || a.namespace || a.deployment || a.job || a.cronjob ? { ...a } : undefined
  }
}

const file = (c: FileSdConfig): Json => ({ files: c.files, refresh_interval: interval(c.refresh_interval) })

const http = (c: HttpSdConfig): Json => ({ ...httpClientDocument(c), refresh_interval: interval(c.refresh_interval), url: c.url })

const dns = (c: DnsSdConfig): Json => ({ names: c.names, refresh_interval: interval(c.refresh_interval), type: c.type, port: c.port })

const blocks = <C>(configs: ReadonlyArray<C> | undefined, document: (c: C) => Json): Json | undefined =>
  configs === undefined || configs.length === 0 ? undefined : configs.map(document)

export const sdDocuments = (sc: ScrapeConfig) => ({
  kubernetes_sd_configs: blocks(sc.kubernetes_sd_configs, kubernetes),
  file_sd_configs: blocks(sc.file_sd_configs, file),
  http_sd_configs: blocks(sc.http_sd_configs, http),
  dns_sd_configs: blocks(sc.dns_sd_configs, dns)
})
