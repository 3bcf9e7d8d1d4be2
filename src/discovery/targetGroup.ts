/**
 * What every discovery mechanism produces: groups of targets, each group identified by its `source` within the
 * provider that made it. A group replaces the provider's previous group of the same source; a group with no
 * targets removes that source's targets (Prometheus's `targetgroup.Group` semantics).
 */
import type { Labels } from "../labels/labels.ts"

export interface TargetGroup {
  readonly source: string
  /** Labels common to every target of the group. */
  readonly labels: Labels
  /** One label set per target, each with at least `__address__`. */
  readonly targets: ReadonlyArray<Labels>
}

/** A provider's update: the groups that changed, each replacing the previous group of its source. */
export type TargetGroupUpdate = ReadonlyArray<TargetGroup>
