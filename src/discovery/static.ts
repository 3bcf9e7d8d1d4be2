/** `static_configs`: one group per entry, sourced by its index, as Prometheus's static provider does. */
import type { StaticConfig } from "../config/prometheus/staticConfig.ts"
import * as L from "../labels/labels.ts"
import type { TargetGroup } from "./targetGroup.ts"

export const staticGroups = (configs: ReadonlyArray<StaticConfig>): ReadonlyArray<TargetGroup> =>
  configs.map((c, i) => ({
    source: String(i),
    labels: L.fromRecord(c.labels),
    targets: c.targets.map((address) => L.single("__address__", address))
  }))
