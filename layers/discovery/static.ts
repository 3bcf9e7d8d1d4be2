/** `static_configs`: its groups once, then nothing; it never fails. */
import { Stream } from "effect"
import type { StaticConfig } from "../../src/config/prometheus/staticConfig.ts"
import { staticGroups } from "../../src/discovery/static.ts"
import { fingerprint, type Provider } from "./Provider.ts"

export const staticProvider = (job: string, configs: ReadonlyArray<StaticConfig>): Provider => ({
  job,
  mechanism: "static_configs",
  key: `static_configs#${fingerprint(configs)}`,
  updates: Stream.concat(Stream.succeed(staticGroups(configs)), Stream.never)
})
