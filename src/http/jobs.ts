/** The job index (`/jobs`) and the per-job collector map (`/jobs/<job>/targets` without `collector_id`). */
import { queryEscape } from "./queryEscape.ts"

export const targetsLink = (job: string): string => `/jobs/${queryEscape(job)}/targets`

/** `{"<job>": {"_link": "/jobs/<QueryEscape(job)>/targets"}}` for every job with at least one target. */
export const renderJobs = (jobs: ReadonlyArray<string>): string =>
  `{${[...jobs].sort().map((j) => `${JSON.stringify(j)}:{"_link":${JSON.stringify(targetsLink(j))}}`).join(",")}}`

/**
 * `{"<collector>": {"_link": ..., "targets": [...]}}` with a key for every collector, as parts to concatenate, so
 * the cached HTTP_SD bytes are reused as they are. Upstream's `_link` points at a route that does not exist
 * (`/debug/jobs/...`); ours is that collector's HTTP_SD URL, which does.
 */
export const renderCollectorMap = <B>(
  job: string,
  collectors: ReadonlyArray<string>,
  httpSdOf: (collector: string) => B
): ReadonlyArray<string | B> => {
  const parts: Array<string | B> = []
  collectors.forEach((c, i) => {
    const link = `${targetsLink(job)}?collector_id=${queryEscape(c)}`
    parts.push(`${i === 0 ? "{" : ","}${JSON.stringify(c)}:{"_link":${JSON.stringify(link)},"targets":`, httpSdOf(c), "}")
  })
  parts.push(collectors.length === 0 ? "{}" : "}")
  return parts
}
