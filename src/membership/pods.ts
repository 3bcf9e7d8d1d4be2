/**
 * Which collector pods can take targets, as a pure function of the pods and the time (upstream's rules, §5):
 * a pod without a node is not scheduled yet; a terminating pod (`deletionTimestamp`) leaves at once; a pod that is
 * not Running, or whose Ready condition is not True, keeps its targets for `grace` after it went so, then leaves.
 * A grace of 0 turns the health rules off. The result says when the next grace expires, so a timer, not the next
 * event, takes a pod that stays unhealthy out.
 */
import type { Pod } from "../kubernetes/objects.ts"
import { byName, type Collector } from "./collector.ts"

export interface Membership {
  readonly collectors: ReadonlyArray<Collector>
  /** When the answer changes without any pod changing (a grace period ends); `undefined` if never. */
  readonly nextChangeAt: number | undefined
}

const time = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : t
}

/** Since when the pod has been unhealthy, or `undefined` if it is healthy (or we cannot tell since when). */
const unhealthySince = (pod: Pod): number | undefined => {
  const since: Array<number> = []
  const phase = pod.status?.phase
  const started = time(pod.status?.startTime)
  if (phase !== "Running" && started !== undefined) since.push(started)
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready")
  const changed = time(ready?.lastTransitionTime)
  if (ready !== undefined && ready.status !== "True" && changed !== undefined) since.push(changed)
  return since.length === 0 ? undefined : Math.min(...since)
}

export const collectorsFrom = (pods: Iterable<Pod>, now: number, graceMs: number): Membership => {
  const collectors: Array<Collector> = []
  let nextChangeAt: number | undefined
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? ""
    if (node === "" || pod.metadata.deletionTimestamp !== undefined) continue
    if (graceMs > 0) {
      const since = unhealthySince(pod)
      if (since !== undefined) {
        // Upstream excludes once `now - since > grace`: the first millisecond after the grace period.
        const expiresAt = since + graceMs + 1
        if (now >= expiresAt) continue
        nextChangeAt = nextChangeAt === undefined ? expiresAt : Math.min(nextChangeAt, expiresAt)
      }
    }
    collectors.push({ name: pod.metadata.name, node })
  }
  return { collectors: collectors.sort(byName), nextChangeAt }
}

export const sameCollectors = (a: ReadonlyArray<Collector>, b: ReadonlyArray<Collector>): boolean =>
  a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.node === b[i]!.node)
