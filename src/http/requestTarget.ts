/**
 * Reading the job and `collector_id` from a request target exactly as the Go allocator does: the job comes from
 * the raw path segment, decoded with query rules; only the first `collector_id` counts.
 */
import { InvalidEscape, queryUnescape } from "./queryEscape.ts"

export interface JobTargetsRequest {
  readonly job: string
  /** `undefined` when the query has no `collector_id` at all; `""` when it is present but empty. */
  readonly collectorId: string | undefined
}

const segment = /^\/jobs\/([^/?#]*)\/targets\/?(?:\?([^#]*))?(?:#.*)?$/

export const parseJobTargetsRequest = (url: string): JobTargetsRequest | InvalidEscape | undefined => {
  const m = segment.exec(url)
  if (m === null) return undefined
  const job = queryUnescape(m[1]!)
  if (job instanceof InvalidEscape) return job
  return { job, collectorId: firstQueryValue(m[2] ?? "", "collector_id") }
}

export const firstQueryValue = (query: string, name: string): string | undefined => {
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=")
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq))
    if (key !== name) continue
    const value = queryUnescape(eq < 0 ? "" : pair.slice(eq + 1))
    // A malformed escape in the value reads as nothing, as Go's url.ParseQuery drops that pair.
    return value instanceof InvalidEscape ? undefined : value
  }
  return undefined
}
