/**
 * The service-discovery blocks a scrape config may carry (`<mechanism>_sd_configs`, plus `static_configs`), as in
 * Prometheus 3.14. Blocks are kept as data here; whether a mechanism can run is decided by discovery, which refuses
 * the ones it does not implement by name.
 */
import { Schema } from "effect"
import { field } from "../scalars.ts"
import { DnsSdConfigInput } from "./sd/dns.ts"
import { FileSdConfig } from "./sd/file.ts"
import { HttpSdConfigInput } from "./sd/http.ts"
import { KubernetesSdConfigInput } from "./sd/kubernetes.ts"

export const sdMechanisms = [
  "aws", "azure", "consul", "digitalocean", "dns", "docker", "dockerswarm", "ec2", "ecs", "elasticache", "eureka",
  "file", "gce", "hetzner", "http", "ionos", "kubernetes", "kuma", "lightsail", "linode", "marathon", "msk", "nerve",
  "nomad", "oci", "openstack", "outscale", "ovhcloud", "puppetdb", "rds", "scaleway", "serverset", "stackit",
  "triton", "uyuni", "vultr"
] as const
export type SdMechanism = typeof sdMechanisms[number]

export const sdKey = (m: SdMechanism): `${SdMechanism}_sd_configs` => `${m}_sd_configs`

/** Each block is a mapping; `null` entries are refused as Prometheus does ("empty or null section"). */
const SdBlock = Schema.Record(Schema.String, Schema.Unknown).annotate({ expected: "a service discovery config (a mapping)" })

/** The mechanisms whose blocks are read field by field (the ones discovery runs); the others are kept as data. */
type Typed = "kubernetes" | "file" | "http" | "dns"
type Untyped = Exclude<SdMechanism, Typed>
const typed: ReadonlyArray<string> = ["kubernetes", "file", "http", "dns"]

const untypedFields = Object.fromEntries(
  sdMechanisms.filter((m) => !typed.includes(m)).map((m) => [sdKey(m), field(Schema.Array(SdBlock), undefined, undefined)])
) as { readonly [K in Untyped as `${K}_sd_configs`]: ReturnType<typeof field<Schema.$Array<typeof SdBlock>, undefined>> }

export const sdFields = {
  ...untypedFields,
  kubernetes_sd_configs: field(Schema.Array(KubernetesSdConfigInput), undefined, undefined),
  file_sd_configs: field(Schema.Array(FileSdConfig), undefined, undefined),
  http_sd_configs: field(Schema.Array(HttpSdConfigInput), undefined, undefined),
  dns_sd_configs: field(Schema.Array(DnsSdConfigInput), undefined, undefined)
}

export type SdConfigs =
  & { readonly [K in Untyped as `${K}_sd_configs`]?: ReadonlyArray<Readonly<Record<string, unknown>>> | undefined }
  & { readonly [K in Typed as `${K}_sd_configs`]?: ReadonlyArray<object> | undefined }

/** The mechanisms a scrape config uses, in Prometheus's field order, with how many blocks each has. */
export const mechanismsIn = (c: SdConfigs): ReadonlyArray<readonly [SdMechanism, number]> =>
  sdMechanisms.flatMap((m) => {
    const blocks = c[sdKey(m)]
    return blocks !== undefined && blocks.length > 0 ? [[m, blocks.length] as const] : []
  })
