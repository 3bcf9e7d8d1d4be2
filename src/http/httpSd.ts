/**
 * One target as an HTTP_SD group (Prometheus `http_sd_configs` format): only `targets` and `labels` keys, which
 * Prometheus requires, with the pre-relabel labels the collector relabels itself. Documents are assembled from
 * these groups (serving/httpSdDocument.ts).
 */
import type { Target } from "../targets/target.ts"

const str = JSON.stringify

export const renderTarget = (t: Target): string => {
  const l = t.labels
  let out = `{"targets":[${str(t.address)}],"labels":{`
  for (let i = 0; i < l.length; i += 2) out += `${i === 0 ? "" : ","}${str(l[i])}:${str(l[i + 1])}`
  return `${out}}}`
}
