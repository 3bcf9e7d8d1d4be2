/**
 * Collector membership: a stream of complete collector sets. `static_collectors` gives one set for good; the
 * Kubernetes pod watcher will emit a set per (coalesced) change.
 */
import { Context, Layer, Stream } from "effect"
import type { Collector } from "../../src/membership/collector.ts"

export class Membership extends Context.Service<Membership, {
  readonly changes: Stream.Stream<ReadonlyArray<Collector>>
}>()("target-allocator/Membership") {
  static readonly fixed = (collectors: ReadonlyArray<Collector>) =>
    Layer.succeed(Membership, { changes: Stream.concat(Stream.succeed(collectors), Stream.never) })
}
