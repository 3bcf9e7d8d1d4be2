/** `http_sd_config`, as Prometheus 3.14 reads and checks it. */
import { Schema } from "effect"
import { issue, type ConfigIssue, type Path } from "../../issues.ts"
import { PrometheusDuration, Text, withDefault } from "../../scalars.ts"
import { httpClientFields, validateHttpClient } from "../httpClientConfig.ts"

export const HttpSdConfigInput = Schema.Struct({
  ...httpClientFields,
  refresh_interval: withDefault(PrometheusDuration, 60_000),
  url: withDefault(Text, "")
}).annotate({ expected: "an http_sd_config (a mapping)" })
export type HttpSdConfig = typeof HttpSdConfigInput.Type

export const validateHttpSdConfig = (c: HttpSdConfig, path: Path): HttpSdConfig | ConfigIssue => {
  if (c.url === "") return issue([...path, "url"], "URL is missing")
  let parsed: URL
  try {
    parsed = new URL(c.url)
  } catch {
    return issue([...path, "url"], `parse ${JSON.stringify(c.url)}: invalid URL`)
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return issue([...path, "url"], "URL scheme must be 'http' or 'https'")
  if (parsed.host === "") return issue([...path, "url"], "host is missing in URL")
  return validateHttpClient(c, path)
}
