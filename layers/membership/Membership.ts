/**
 * Collector membership: a stream of complete collector sets. `static_collectors` gives one set for good; the
 * Kubernetes pod watcher emits a set whenever the live, ready collectors change.
 */
import { Context, Effect, Layer, Stream } from "effect"
import type { Collector } from "../../src/membership/collector.ts"
import { Kubernetes } from "../kubernetes/Kubernetes.ts"
import { podMembership, type PodMembershipOptions } from "./kubernetes.ts"

export class Membership extends Context.Service<Membership, {
  readonly changes: Stream.Stream<ReadonlyArray<Collector>>
}>()("target-allocator/Membership") {
  static readonly fixed = (collectors: ReadonlyArray<Collector>) =>
    Layer.succeed(Membership, { changes: Stream.concat(Stream.succeed(collectors), Stream.never) })

  static readonly pods = (options: PodMembershipOptions) =>
    Layer.effect(
      Membership,
      Effect.gen(function*() {
        const kubernetes = yield* Kubernetes
        return { changes: podMembership(options).pipe(Stream.provideService(Kubernetes, kubernetes)) }
      })
    )
}
