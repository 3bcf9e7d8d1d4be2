/** `dns_sd_config`, as Prometheus 3.14 reads and checks it. */
import { Schema } from "effect"
import { issue, type ConfigIssue, type Path } from "../../issues.ts"
import { Int, PrometheusDuration, Text, withDefault } from "../../scalars.ts"

export const DnsSdConfigInput = Schema.Struct({
  names: withDefault(Schema.Array(Text), []),
  refresh_interval: withDefault(PrometheusDuration, 30_000),
  type: withDefault(Text, "SRV"),
  port: withDefault(Int, 0)
}).annotate({ expected: "a dns_sd_config (a mapping)" })

export type DnsRecordType = "SRV" | "A" | "AAAA" | "MX" | "NS"

export interface DnsSdConfig extends Omit<typeof DnsSdConfigInput.Type, "type"> {
  readonly type: DnsRecordType
}

export const validateDnsSdConfig = (c: typeof DnsSdConfigInput.Type, path: Path): DnsSdConfig | ConfigIssue => {
  if (c.names.length === 0) return issue([...path, "names"], "DNS-SD config must contain at least one SRV record name")
  const type = c.type.toUpperCase()
  if (type !== "SRV" && type !== "A" && type !== "AAAA" && type !== "MX" && type !== "NS") {
    return issue([...path, "type"], `invalid DNS-SD records type ${c.type}`)
  }
  if (type !== "SRV" && c.port === 0) return issue([...path, "port"], "a port is required in DNS-SD configs for all record types except SRV")
  return { ...c, type }
}
