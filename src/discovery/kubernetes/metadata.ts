/** Label helpers shared by the Kubernetes roles, as Prometheus's discovery/kubernetes writes them. */
import type { ObjectMeta } from "../../kubernetes/objects.ts"

export const metaPrefix = "__meta_kubernetes_"
export const presentValue = "true"

/** `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export const sanitizeLabelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, "_")

/**
 * The label names a Kubernetes label or annotation key gives, per resource and kind: the same few hundred keys
 * recur on every object, so they are sanitized once. Bounded, as keys come from the cluster's users.
 */
const names = new Map<string, readonly [value: string, present: string]>()
const namesOf = (resource: string, kind: "label" | "annotation", key: string): readonly [string, string] => {
  const id = `${resource}\u0000${kind}\u0000${key}`
  let n = names.get(id)
  if (n === undefined) {
    if (names.size >= 50_000) names.clear()
    const ln = sanitizeLabelName(key)
    n = [`${metaPrefix}${resource}_${kind}_${ln}`, `${metaPrefix}${resource}_${kind}present_${ln}`]
    names.set(id, n)
  }
  return n
}

/** `<prefix><resource>_label_<name>`, `..._labelpresent_<name>` and the same for annotations. */
export const addObjectLabelsAndAnnotations = (out: Record<string, string>, meta: ObjectMeta | undefined, resource: string): void => {
  const labels = meta?.labels
  for (const k in labels) {
    const [value, present] = namesOf(resource, "label", k)
    out[value] = labels[k]!
    out[present] = presentValue
  }
  const annotations = meta?.annotations
  for (const k in annotations) {
    const [value, present] = namesOf(resource, "annotation", k)
    out[value] = annotations[k]!
    out[present] = presentValue
  }
}

/** `<prefix><role>_name` plus the object's labels and annotations under the role's name. */
export const addObjectMetaLabels = (out: Record<string, string>, meta: ObjectMeta, role: string): void => {
  out[`${metaPrefix}${role}_name`] = meta.name
  addObjectLabelsAndAnnotations(out, meta, role)
}
