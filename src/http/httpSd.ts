/**
 * HTTP_SD documents (Prometheus `http_sd_configs` format), the bytes collectors poll.
 *
 * One group per target with only `targets` and `labels` keys (Prometheus refuses unknown keys), sorted by address
 * then identity so every poll of an unchanged assignment returns the same bytes: Prometheus names groups by their
 * index, and a reordered list would look like a change of every group.
 */
import type { Target } from "../targets/target.ts"

const str = JSON.stringify

export const renderTarget = (t: Target): string => {
  const l = t.labels
  let out = `{"targets":[${str(t.address)}],"labels":{`
  for (let i = 0; i < l.length; i += 2) out += `${i === 0 ? "" : ","}${str(l[i])}:${str(l[i + 1])}`
  return `${out}}}`
}

const byAddressThenId = (a: Target, b: Target): number =>
  a.address < b.address ? -1 : a.address > b.address ? 1 : a.id - b.id

export const sortTargets = (targets: ReadonlyArray<Target>): ReadonlyArray<Target> => [...targets].sort(byAddressThenId)

export const renderHttpSd = (targets: ReadonlyArray<Target>): string => {
  if (targets.length === 0) return "[]"
  return `[${sortTargets(targets).map(renderTarget).join(",")}]`
}
