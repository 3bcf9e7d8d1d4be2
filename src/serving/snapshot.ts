/**
 * What the HTTP layer serves: bytes rendered when the assignment changed, never per request. A snapshot is
 * immutable once published; the next one shares every part that did not change.
 */
import { gzipSync } from "node:zlib"
import type { Collector } from "../membership/collector.ts"
import type { HttpSdBody } from "./httpSdDocument.ts"

const encoder = new TextEncoder()
export const bytes = (s: string): Uint8Array => encoder.encode(s)

export const emptyList = bytes("[]")
const emptyListGzip = gzipSync(emptyList)

export interface JobView {
  /** Targets of the job, assigned or not. */
  readonly targets: number
  /** Collector → HTTP_SD document; a collector without targets of this job is absent and gets `[]`. */
  readonly httpSd: ReadonlyMap<string, HttpSdBody>
}

export interface Rendered {
  readonly identity: Uint8Array
  /** The same bytes gzipped, for clients that accept it. */
  readonly gzip: Uint8Array
}

export interface ScrapeConfigsBody {
  /** Secrets as `<secret>`: for plain HTTP. */
  readonly redacted: Rendered
  /** Secrets in clear: only for the mTLS listener or `allow_insecure_auth_secrets`. */
  readonly revealed: Rendered
  readonly jobCount: number
}

export interface Snapshot {
  /** A configuration has been applied and collector membership is known. */
  readonly ready: boolean
  /** Sorted by name. */
  readonly collectors: ReadonlyArray<Collector>
  /** Every job with at least one target. */
  readonly jobs: ReadonlyMap<string, JobView>
  /** The `/jobs` body. */
  readonly jobsBody: Uint8Array
  readonly scrapeConfigs: ScrapeConfigsBody | undefined
}

export const initial: Snapshot = {
  ready: false,
  collectors: [],
  jobs: new Map(),
  jobsBody: bytes("{}"),
  scrapeConfigs: undefined
}

export const httpSdOf = (snapshot: Snapshot, job: string, collector: string): Uint8Array =>
  snapshot.jobs.get(job)?.httpSd.get(collector)?.bytes ?? emptyList

/** The same, gzipped. */
export const httpSdGzipOf = (snapshot: Snapshot, job: string, collector: string): Uint8Array =>
  snapshot.jobs.get(job)?.httpSd.get(collector)?.gzip ?? emptyListGzip
