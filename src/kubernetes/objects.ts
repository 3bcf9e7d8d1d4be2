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

/**
 * The object without `metadata.managedFields`: server-side apply's bookkeeping, which nothing here reads and which is
 * often a third of a pod as the API serves it. Dropped as objects arrive, as kube-controller-manager, the scheduler
 * and prometheus-operator do with their informers, so the stores do not keep it for every object watched.
 */
export const withoutManagedFields = <O extends KubeObject>(o: O): O => {
  if (o.metadata === undefined || !("managedFields" in o.metadata)) return o
  const { managedFields: _, ...metadata } = o.metadata as ObjectMeta & { readonly managedFields?: unknown }
  return { ...o, metadata }
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key of an object in a store. */
export const objectKey = (o: KubeObject): string =>
  o.metadata.namespace === undefined || o.metadata.namespace === "" ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`
