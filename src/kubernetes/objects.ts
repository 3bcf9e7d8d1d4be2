/** The parts of Kubernetes objects the allocator reads, as the API serves them (plain JSON). */
export interface ObjectMeta {
  readonly name: string
  readonly namespace?: string
  readonly uid?: string
  readonly resourceVersion?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
  readonly deletionTimestamp?: string
  readonly creationTimestamp?: string
  readonly ownerReferences?: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly controller?: boolean }>
}

export interface KubeObject {
  readonly apiVersion?: string
  readonly kind?: string
  readonly metadata: ObjectMeta
}

export interface PodCondition {
  readonly type: string
  readonly status: string
  readonly lastTransitionTime?: string
}

export interface Pod extends KubeObject {
  readonly spec?: { readonly nodeName?: string }
  readonly status?: {
    readonly phase?: string
    readonly startTime?: string
    readonly conditions?: ReadonlyArray<PodCondition>
  }
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key of an object in a store. */
export const objectKey = (o: KubeObject): string =>
  o.metadata.namespace === undefined || o.metadata.namespace === "" ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`
