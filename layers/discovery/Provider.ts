/**
 * The interface every discovery mechanism implements: a provider per (job, SD config) that emits target-group
 * updates as a stream, failing with a typed error that names the mechanism and the job.
 */
import { Data, type Stream } from "effect"
import type { TargetGroupUpdate } from "../../src/discovery/targetGroup.ts"
import { Secret } from "../../src/config/secret.ts"
import { hashString } from "../../src/labels/hash.ts"

export class DiscoveryError extends Data.TaggedError("DiscoveryError")<{
  readonly mechanism: string
  readonly job: string
  readonly message: string
  readonly cause?: unknown
}> {}

export interface Provider {
  readonly job: string
  /** `static_configs`, `file_sd_configs`, ... */
  readonly mechanism: string
  /** Unique within the job, and changes when the provider's config changes, so an unchanged provider keeps running. */
  readonly key: string
  readonly updates: Stream.Stream<TargetGroupUpdate, DiscoveryError>
}

/** Changes whenever the config does, secrets included (they are hashed, never shown). */
export const fingerprint = (value: unknown): string =>
  hashString(JSON.stringify(value, (_, v) => (v instanceof Secret ? `secret:${v.reveal()}` : typeof v === "bigint" ? v.toString() : v))).toString(36)
