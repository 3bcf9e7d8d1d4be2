/** A target as the allocator sees it: discovered, kept by the job's filter, identified within its job. */
import type { Labels } from "../labels/labels.ts"

export interface Target {
  readonly job: string
  /** The discovered `__address__`: what consistent hashing keys on, so a target keeps its collector when only its labels change. */
  readonly address: string
  /** The merged, pre-relabel labels (`__meta_*` included): what collectors receive and relabel themselves. */
  readonly labels: Labels
  /** Identity within the job: equal identities are one target, served once. */
  readonly id: number
  /** The discovery source (provider and group) the target came from. */
  readonly source: string
}
