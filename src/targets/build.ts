/** From a discovered group and target to a `Target`: merge the labels, read the address, compute the identity. */
import * as L from "../labels/labels.ts"
import { identity } from "./identity.ts"
import type { Target } from "./target.ts"

/** `undefined` when the job's filter drops the target. */
export type TargetBuilder = (source: string, groupLabels: L.Labels, targetLabels: L.Labels) => Target | undefined

export const unfiltered = (job: string): TargetBuilder => (source, groupLabels, targetLabels) => {
  const labels = L.merge(groupLabels, targetLabels)
  return { job, address: L.get(labels, "__address__") ?? "", labels, id: identity(job, labels), source }
}

/** The builder of a job, with a key that changes exactly when the builder would build differently. */
export interface JobBuilder {
  readonly key: string
  readonly builder: TargetBuilder
}

export const builderFor = (job: string): JobBuilder => ({ key: job, builder: unfiltered(job) })
