/**
 * One target as an HTTP_SD group (Prometheus `http_sd_configs` format): only `targets` and `labels` keys, which
 * Prometheus requires, with the pre-relabel labels the collector relabels itself. Documents are assembled from
 * these groups (serving/httpSdDocument.ts).
 */
import type { Target } from "../targets/target.ts"

const str = JSON.stringify

/** The group's and the target's labels merged as they are written (both sorted; the target's win). */
export const renderTarget = (t: Target): string => {
  const g = t.groupLabels
  const l = t.targetLabels
  let out = `{"targets":[${str(t.address)}],"labels":{`
  let sep = ""
  let i = 0
  let j = 0
  while (i < g.length || j < l.length) {
    let name: string
    let value: string
    if (j === l.length || (i < g.length && g[i]! < l[j]!)) {
      name = g[i]!
      value = g[i + 1]!
      i += 2
    } else {
      if (i < g.length && g[i] === l[j]) i += 2
      name = l[j]!
      value = l[j + 1]!
      j += 2
    }
    out += `${sep}${str(name)}:${str(value)}`
    sep = ","
  }
  return `${out}}}`
}
