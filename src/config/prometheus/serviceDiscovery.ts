/**
 * The service-discovery blocks a scrape config may carry (`<mechanism>_sd_configs`, plus `static_configs`), as in
 * Prometheus 3.14. Blocks are kept as data here; whether a mechanism can run is decided by discovery, which refuses
 * the ones it does not implement by name.
 */
import { Schema } from "effect"
import { field } from "../scalars.ts"

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

export const sdFields = Object.fromEntries(
  sdMechanisms.map((m) => [sdKey(m), field(Schema.Array(SdBlock), undefined, undefined)])
) as { readonly [K in SdMechanism as `${K}_sd_configs`]: ReturnType<typeof field<Schema.$Array<typeof SdBlock>, undefined>> }

export type SdConfigs = { readonly [K in SdMechanism as `${K}_sd_configs`]?: ReadonlyArray<Readonly<Record<string, unknown>>> | undefined }

/** The mechanisms a scrape config uses, in Prometheus's field order, with how many blocks each has. */
export const mechanismsIn = (c: SdConfigs): ReadonlyArray<readonly [SdMechanism, number]> =>
  sdMechanisms.flatMap((m) => {
    const blocks = c[sdKey(m)]
    return blocks !== undefined && blocks.length > 0 ? [[m, blocks.length] as const] : []
  })
