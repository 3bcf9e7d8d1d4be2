/**
 * What the endpoints and endpointslice roles share beyond the pod (podMeta.ts) and the node and namespace metadata
 * (attach.ts): the Service's group labels (Prometheus 3.14 `serviceLabels`), and the pods behind the addresses.
 */
import type { KubeObject } from "../../kubernetes/objects.ts"
import { addObjectMetaLabels, metaPrefix } from "./metadata.ts"
import { podLabels, uncoveredPortTargets, type PodObject } from "./podMeta.ts"
import type { AttachMetadata, Lookup } from "./types.ts"

export const namespaceLabel = `${metaPrefix}namespace`

/** `serviceLabels`: the Service's namespace, name, labels and annotations, as group labels. */
export const addServiceLabels = (out: Record<string, string>, service: KubeObject): void => {
  out[namespaceLabel] = service.metadata.namespace ?? ""
  addObjectMetaLabels(out, service.metadata, "service")
}

/** Go's `*string` from JSON: `null` and absent are both nil. */
export const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null

export interface TargetRef {
  readonly kind?: string
  readonly namespace?: string
  readonly name?: string
}

/**
 * The pods behind one role object's addresses. `join` gives an address's target the labels of the pod its
 * `targetRef` names (when the job's pod store has it) and remembers which port of that pod an endpoint covered;
 * `uncovered` then gives the targets of every pod's ports that no endpoint covered, as Prometheus adds them.
 */
export const podsBehind = (lookup: Lookup, attach: AttachMetadata) => {
  const seen = new Map<string, { readonly pod: PodObject; readonly covered: Set<number> }>()
  return {
    join: (target: Record<string, string>, ref: TargetRef | null | undefined, port: number | undefined): PodObject | undefined => {
      const pod = ref?.kind === "Pod" ? lookup.pod(ref.namespace ?? "", ref.name ?? "") as PodObject | undefined : undefined
      if (pod === undefined) return undefined
      const key = `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`
      let entry = seen.get(key)
      if (entry === undefined) seen.set(key, (entry = { pod, covered: new Set() }))
      if (port !== undefined) entry.covered.add(port)
      Object.assign(target, podLabels(pod, lookup, attach))
      return pod
    },
    uncovered: (): Array<Record<string, string>> =>
      [...seen.values()].flatMap(({ pod, covered }) => uncoveredPortTargets(pod, covered, podLabels(pod, lookup, attach)))
  }
}

