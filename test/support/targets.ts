import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import * as L from "../../src/labels/labels.ts"

export const group = (source: string, addresses: ReadonlyArray<string>, labels: Record<string, string> = {}): TargetGroup => ({
  source,
  labels: L.fromRecord(labels),
  targets: addresses.map((a) => L.fromRecord({ __address__: a }))
})

export const groupOf = (source: string, targets: ReadonlyArray<Record<string, string>>, labels: Record<string, string> = {}): TargetGroup => ({
  source,
  labels: L.fromRecord(labels),
  targets: targets.map(L.fromRecord)
})
