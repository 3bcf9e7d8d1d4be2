/** A collector that can take targets: a pod name (its `collector_id`) and the node it runs on. */
export interface Collector {
  readonly name: string
  /** `spec.nodeName` of the pod, or the `node` of a static collector; "" when unknown. */
  readonly node: string
}

export const byName = (a: Collector, b: Collector): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
