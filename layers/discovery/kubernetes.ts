/**
 * `kubernetes_sd_configs`: the job's watches (shared with other jobs that need the same ones), joined in memory,
 * turned into target groups by the role functions. The first update goes out once every watch has listed, with
 * every group; after that, a change rebuilds only the groups of the role objects it affects, and a deleted role
 * object sends an empty group for its source.
 */
import { Effect, Metric, Queue, Stream } from "effect"
import type { KubernetesSdConfig } from "../../src/config/prometheus/sd/kubernetes.ts"
import { affects, metadataChanged } from "../../src/discovery/kubernetes/dependencies.ts"
import { roleFunctions } from "../../src/discovery/kubernetes/roles.ts"
import type { Lookup } from "../../src/discovery/kubernetes/types.ts"
import { watchesFor, type WatchPurpose } from "../../src/discovery/kubernetes/watches.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import * as L from "../../src/labels/labels.ts"
import { objectKey, type KubeObject } from "../../src/kubernetes/objects.ts"
import { connectionKey, type KubeClients } from "../kubernetes/clients.ts"
import type { Informers } from "../kubernetes/informers.ts"
import type { ReflectorEvent } from "../kubernetes/reflector.ts"
import { kubernetesSdFailures } from "../telemetry/metrics.ts"
import { DiscoveryError, fingerprint, type Provider } from "./Provider.ts"

export interface KubernetesProviderDeps {
  readonly clients: KubeClients["Service"]
  readonly informers: Informers["Service"]
  /** The allocator's own namespace, for `namespaces.own_namespace`. */
  readonly ownNamespace: string | undefined
}

export const kubernetesProvider = (job: string, index: number, config: KubernetesSdConfig, deps: KubernetesProviderDeps): Provider => ({
  job,
  mechanism: "kubernetes_sd_configs",
  key: `kubernetes_sd_configs/${index}#${fingerprint(config)}`,
  updates: Stream.callback<ReadonlyArray<TargetGroup>, DiscoveryError>((queue) =>
    Effect.gen(function*() {
      const api = yield* deps.clients.forConfig(config).pipe(
        Effect.mapError((e) => new DiscoveryError({ mechanism: "kubernetes_sd_configs", job, message: e.message }))
      )
      const specs = watchesFor(config, deps.ownNamespace)
      const stores = new Map<WatchPurpose, Map<string, KubeObject>>(specs.map((s) => [s.purpose, new Map()]))
      const store = (p: WatchPurpose) => stores.get(p) ?? new Map<string, KubeObject>()
      const roleStore = store("role")
      const podsForLookup = config.role === "pod" ? roleStore : store("pod")
      const lookup: Lookup = {
        pod: (ns, name) => podsForLookup.get(`${ns}/${name}`),
        service: (ns, name) => store("service").get(`${ns}/${name}`),
        node: (name) => store("node").get(name),
        namespace: (name) => store("namespace").get(name),
        replicaSet: (ns, name) => store("replicaset").get(`${ns}/${name}`),
        job: (ns, name) => store("job").get(`${ns}/${name}`)
      }
      const build = roleFunctions[config.role]
      const sources = new Map<string, string>()
      const dirty = new Set<string>()
      const synced = new Set<number>()
      let listed = false
      // Groups are built as objects arrive, also while the lists are still coming in (the next page is then on its
      // way while we work); they go out together once every watch has listed, which is the first update.
      const unsent = new Map<string, TargetGroup>()
      let announced = false

      const flush = Effect.gen(function*() {
        let groups: Array<TargetGroup> = []
        for (const key of dirty) {
          const o = roleStore.get(key)
          if (o !== undefined) {
            const g = build(o, lookup, config.attach_metadata)
            sources.set(key, g.source)
            if (announced) groups.push(g)
            else unsent.set(key, g)
          } else {
            const source = sources.get(key)
            if (source === undefined) continue
            sources.delete(key)
            if (announced) groups.push({ source, labels: L.empty, targets: [] })
            else unsent.delete(key)
          }
        }
        dirty.clear()
        if (!listed) return
        if (!announced) {
          announced = true
          groups = [...unsent.values()]
          unsent.clear()
        } else if (groups.length === 0) return
        yield* Queue.offer(queue, groups)
      })

      /** Plain code, not an effect per event: a list brings tens of thousands of them. Returns the failures seen. */
      const handle = (i: number, e: ReflectorEvent): number => {
        const purpose = specs[i]!.purpose
        const s = store(purpose)
        if (e._tag === "Failed") return 1
        if (e._tag === "Synced") {
          synced.add(i)
          if (synced.size === specs.length) listed = true
          return 0
        }
        const key = objectKey(e.object)
        const before = s.get(key)
        if (e._tag === "Upserted") s.set(key, e.object)
        else s.delete(key)
        if (purpose === "role") {
          dirty.add(key)
          return 0
        }
        if ((purpose === "node" || purpose === "namespace") && e._tag === "Upserted" && !metadataChanged(before, e.object)) return 0
        for (const [k, o] of roleStore) if (affects(config.role, o, purpose, e.object)) dirty.add(k)
        return 0
      }

      const subscriptions = yield* Effect.forEach(specs, (spec, i) =>
        Effect.map(
          deps.informers.subscribe(connectionKey(config), api, spec.resource, {
            namespace: spec.namespace,
            labelSelector: spec.labelSelector,
            fieldSelector: spec.fieldSelector
          }),
          (stream) => Stream.map(stream, (e) => [i, e] as const)
        ))
      yield* Stream.mergeAll(subscriptions, { concurrency: "unbounded" }).pipe(
        Stream.runForEachArray((batch) =>
          Effect.suspend(() => {
            let failures = 0
            for (const [i, e] of batch) failures += handle(i, e)
            return failures === 0 ? flush : Effect.andThen(Metric.update(kubernetesSdFailures, failures), flush)
          })),
        Effect.forkScoped
      )
    })
  )
})
