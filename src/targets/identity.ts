/**
 * Target identity: a hash of the labels that make a target distinct for Prometheus (its post-relabel labels
 * without `__meta_*`), plus the job name, so the same address in two jobs stays two targets.
 */
import * as H from "../labels/hash.ts"
import type { Labels } from "../labels/labels.ts"

export const identity = (job: string, labels: Labels): number => {
  const h = H.start()
  for (let i = 0; i < labels.length; i += 2) {
    const name = labels[i]!
    if (name.startsWith("__meta_")) continue
    H.update(h, name)
    H.update(h, labels[i + 1]!)
  }
  H.update(h, job)
  return H.finish(h)
}
