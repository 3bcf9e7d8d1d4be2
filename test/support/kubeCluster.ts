/** The Kubernetes test cluster of `test/fixtures/kube-sd/` as plain objects, and the views a job's watches give. */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { KubernetesSdConfig } from "../../src/config/prometheus/sd/kubernetes.ts"
import type { Lookup } from "../../src/discovery/kubernetes/types.ts"
import { watchesFor, type WatchSpec } from "../../src/discovery/kubernetes/watches.ts"
import { matchesFields } from "../../src/kubernetes/fieldSelector.ts"
import { matchesString } from "../../src/kubernetes/labelSelector.ts"
import { objectKey, type KubeObject } from "../../src/kubernetes/objects.ts"
import { apiVersionOf, byKind, type ResourceType } from "../../src/kubernetes/resource.ts"

export const kubeSdRoot = join(import.meta.dirname, "..", "fixtures", "kube-sd")

/** Every object of the cluster, `apiVersion` and `kind` filled in. */
export const loadClusterObjects = (): ReadonlyArray<KubeObject> => {
  const out: Array<KubeObject> = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.name.endsWith(".json")) {
        const doc = JSON.parse(readFileSync(join(dir, e.name), "utf8")) as KubeObject & { items?: ReadonlyArray<KubeObject> }
        for (const item of doc.items ?? [doc]) out.push(item)
      }
    }
  }
  walk(join(kubeSdRoot, "objects"))
  return out
}

export const typeOf = (o: KubeObject): ResourceType | undefined => byKind.get(`${o.apiVersion}/${o.kind}`)

const visible = (objects: ReadonlyArray<KubeObject>, spec: WatchSpec) =>
  objects.filter((o) => {
    const t = typeOf(o)
    return t !== undefined && apiVersionOf(t) === apiVersionOf(spec.resource) && t.kind === spec.resource.kind &&
      (spec.namespace === undefined || o.metadata.namespace === spec.namespace) &&
      matchesString(spec.labelSelector, o.metadata.labels) && matchesFields(spec.fieldSelector, o)
  })

/** What a job sees: the role's objects, and lookups into the stores of its other watches. */
export const jobView = (objects: ReadonlyArray<KubeObject>, config: KubernetesSdConfig) => {
  const specs = watchesFor(config)
  const store = (purpose: WatchSpec["purpose"]) => {
    const m = new Map<string, KubeObject>()
    for (const spec of specs.filter((s) => s.purpose === purpose)) for (const o of visible(objects, spec)) m.set(objectKey(o), o)
    return m
  }
  const pods = store("pod")
  const services = store("service")
  const nodes = store("node")
  const namespaces = store("namespace")
  const replicaSets = store("replicaset")
  const jobs = store("job")
  const roleObjects = [...store("role").values()]
  // The pod role reads its own pods; the endpoints roles their pod watch.
  const podStore = config.role === "pod" ? new Map(roleObjects.map((o) => [objectKey(o), o])) : pods
  const lookup: Lookup = {
    pod: (ns, name) => podStore.get(`${ns}/${name}`),
    service: (ns, name) => services.get(`${ns}/${name}`),
    node: (name) => nodes.get(name),
    namespace: (name) => namespaces.get(name),
    replicaSet: (ns, name) => replicaSets.get(`${ns}/${name}`),
    job: (ns, name) => jobs.get(`${ns}/${name}`)
  }
  return { roleObjects, lookup }
}
