/** Label helpers shared by the Kubernetes roles, as Prometheus's discovery/kubernetes writes them. */
import type { ObjectMeta } from "../../kubernetes/objects.ts"

export const metaPrefix = "__meta_kubernetes_"
export const presentValue = "true"

/** `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export const sanitizeLabelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, "_")

/** `<prefix><resource>_label_<name>`, `..._labelpresent_<name>` and the same for annotations. */
export const addObjectLabelsAndAnnotations = (out: Record<string, string>, meta: ObjectMeta | undefined, resource: string): void => {
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    const ln = sanitizeLabelName(k)
    out[`${metaPrefix}${resource}_label_${ln}`] = v
    out[`${metaPrefix}${resource}_labelpresent_${ln}`] = presentValue
  }
  for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
    const ln = sanitizeLabelName(k)
    out[`${metaPrefix}${resource}_annotation_${ln}`] = v
    out[`${metaPrefix}${resource}_annotationpresent_${ln}`] = presentValue
  }
}

/** `<prefix><role>_name` plus the object's labels and annotations under the role's name. */
export const addObjectMetaLabels = (out: Record<string, string>, meta: ObjectMeta, role: string): void => {
  out[`${metaPrefix}${role}_name`] = meta.name
  addObjectLabelsAndAnnotations(out, meta, role)
}
