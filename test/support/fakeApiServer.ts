/**
 * A fake Kubernetes API server for tests: a real HTTP server on 127.0.0.1 inside the test process that speaks enough of
 * the list/watch protocol for the real `@kubernetes/client-node` (its generated APIs, `KubernetesObjectApi`, `Watch`
 * and `makeInformer`) to run against it unchanged.
 *
 * The data model is type-agnostic: any resource type (built in or registered, e.g. a CRD) is a bag of JSON objects
 * keyed by namespace/name, every change goes through one global resourceVersion counter and one event log, and list
 * and watch are answered from those. What is modelled, and what is not:
 *
 * - resourceVersion: one strictly increasing counter shared by all types (as etcd's revision). The empty store is at
 *   rv 1, so no object ever has rv "0" (which means "any" in the protocol).
 * - list: current state, or the state at an older rv for `resourceVersionMatch=Exact` and for `continue` pages (a
 *   list's pages are one consistent snapshot, as etcd gives). Items are sorted by namespace/name (etcd key order).
 *   Typed (built-in) lists carry no apiVersion/kind on their items, as the real server; CRD lists do.
 * - watch from rv N replays the log after N, then streams live events. Without rv, or with rv "0", the watch first
 *   sends ADDED for every current object (this is what the real apiserver's watch cache does for both), then live
 *   events. `sendInitialEvents=true` does the same and ends the initial state with the `k8s.io/initial-events-end`
 *   bookmark. Selector semantics on MODIFIED follow the watch cache: starts matching → ADDED, stops matching →
 *   DELETED carrying the previous state at the event's rv.
 * - Not modelled: admission, defaulting, validation beyond name/kind, finalizers and graceful deletion, namespaces
 *   having to exist, owner references and garbage collection, PATCH, deletecollection, subresources (/status, /log),
 *   the legacy `/api/v1/watch/...` paths, protobuf, Table output, field-selector restrictions (every dotted path is
 *   accepted, where the real server only accepts a few fields per type), server-side timeouts other than
 *   `timeoutSeconds`.
 */
import { KubeConfig } from "@kubernetes/client-node"
import { randomUUID } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as R from "../../src/kubernetes/resource.ts"

// ---------------------------------------------------------------------------------------------------------------------
// Public types

/** The allocator's resource type, with what discovery documents and list answers need besides. */
export interface ResourceType extends R.ResourceType {
  /** Discovery's singularName; defaults to the lower-cased kind. */
  readonly singular?: string
  readonly shortNames?: ReadonlyArray<string>
  /**
   * Served by the typed apiserver (true for the built-in types): its list items then carry no apiVersion/kind, as on
   * a real cluster. Custom resources (the default for `register`) keep them.
   */
  readonly builtIn?: boolean
}

/** An object as stored and served: always with apiVersion, kind, name, resourceVersion, uid and creationTimestamp. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    resourceVersion: string
    uid: string
    creationTimestamp: string
    [key: string]: unknown
  }
  [key: string]: unknown
}

/**
 * What `create`/`update`/`load` accept: any object with apiVersion, kind and metadata.name (plain JSON, or a
 * client-node model such as `V1Pod`; it is copied through JSON, so Dates become strings).
 */
export interface ObjectInput {
  readonly apiVersion?: string | undefined
  readonly kind?: string | undefined
  readonly metadata?: { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR"

export interface WatchEvent {
  readonly type: WatchEventType
  readonly object: unknown
}

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection"

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** The query parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>
  /** Set for requests on a resource (not discovery). */
  readonly verb: Verb | undefined
  readonly resource: string | undefined
  readonly namespace: string | undefined
  /** The HTTP status answered (for a watch: 200 as soon as the stream starts). Undefined until answered. */
  status: number | undefined
}

/** An RBAC denial. Omitted fields match everything; `namespace` omitted also matches cluster-scope requests. */
export interface DenyRule {
  readonly verb?: Verb | "*"
  /** The plural, e.g. "pods". */
  readonly resource: string
  readonly group?: string
  readonly namespace?: string
}

export interface FailureMatch {
  readonly verb?: Verb
  readonly resource?: string
}

export interface FakeApiServerOptions {
  /** The bearer token written to the kubeconfig. Default "fake-token". */
  readonly token?: string
  /** Start with `requireToken(token)` in effect. Default false: any (or no) credential is accepted. */
  readonly requireToken?: boolean
  /** The kubeconfig context's default namespace. Default "default". */
  readonly namespace?: string
  /** The user named in 403 messages. Default "system:serviceaccount:otel:ta". */
  readonly user?: string
  /** More resource types, as with `register`. */
  readonly types?: ReadonlyArray<ResourceType>
  /** Objects to `load` before listening. */
  readonly objects?: ReadonlyArray<ObjectInput>
  /** How a watch from an expired rv is answered (see `FakeApiServer.expiredWatch`). Default "event". */
  readonly expiredWatch?: "event" | "status"
  /** Default 0 (any free port). */
  readonly port?: number
}

export interface FakeApiServer {
  /** `http://127.0.0.1:<port>`; unchanged across `stop()`/`start()`. */
  readonly url: string
  readonly port: number
  /** A kubeconfig (plain http, bearer token, current context with a default namespace); removed by `close()`. */
  readonly kubeconfigPath: string
  readonly token: string
  /** The context's default namespace. */
  readonly namespace: string
  /** Every request received, in order (live array: remember its length to look at later requests only). */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** The current global resourceVersion. */
  readonly resourceVersion: string
  /**
   * How to answer a watch whose rv is older than the compaction point: "event" (the real apiserver's usual answer)
   * is HTTP 200 with one ERROR event carrying a 410 `Expired` Status, then the end of the stream; "status" is an
   * HTTP 410 answer to the watch request itself (which happens too, e.g. from etcd directly).
   */
  expiredWatch: "event" | "status"

  /** Serves one more type (e.g. a CRD). Registering an already registered type replaces its definition. */
  register(type: ResourceType): void
  /** Stops serving a type (as when a CRD is deleted): drops its objects and ends its watches. */
  unregister(group: string, version: string, plural: string): void

  /** Adds an object (ADDED). Throws when it exists, or its type is not registered. */
  create<T extends ObjectInput>(obj: T): KubeObject
  /**
   * Replaces an object (MODIFIED), keeping its uid and creationTimestamp; the type comes from apiVersion + kind.
   * Throws when it does not exist. As on the real server, an update that changes nothing is a no-op (no new rv, no
   * event); the object's own resourceVersion is ignored here (HTTP PUT checks it).
   */
  update<T extends ObjectInput>(obj: T): KubeObject
  /** create, or update when it exists. */
  apply<T extends ObjectInput>(obj: T): KubeObject
  /** Removes an object (DELETED, with its last state at the deletion's rv); undefined when there was none. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined
  /** Every object of a type (in one namespace, if given), sorted by namespace/name. */
  list(apiVersion: string, kind: string, namespace?: string): Array<KubeObject>
  /** `apply` for each, in order. */
  load<T extends ObjectInput>(objects: ReadonlyArray<T>): Array<KubeObject>

  /** Ends open watch streams cleanly (all, or those on one path); a client must resume from its last rv. */
  closeWatches(path?: string): void
  /** Forgets history up to the current rv: any older rv then answers 410. */
  compact(): void
  /** Sends a BOOKMARK at the current rv to every open watch that asked for bookmarks. */
  bookmark(): void
  /** How many watch streams are open (all, or on one path, e.g. "/api/v1/namespaces/otel/pods"). */
  openWatches(path?: string): number
  /** Resolves when at least `count` watches are open (on `path`); rejects after `timeoutMs` (default 5000). */
  waitForWatches(count: number, path?: string, timeoutMs?: number): Promise<void>
  /**
   * Resolves with the first request satisfying `predicate`, looking at requests from index `since` (default: only
   * requests arriving from now on); rejects after `timeoutMs` (default 5000).
   */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, options?: { readonly since?: number; readonly timeoutMs?: number }): Promise<RecordedRequest>

  /** Makes matching requests answer 403 with a Forbidden Status. */
  deny(rule: DenyRule): void
  /** Removes a deny rule equal to `rule`, or all of them. */
  allow(rule?: DenyRule): void
  /** Answers 401 to requests without `Authorization: Bearer <token>` (default: this server's token); false: stop. */
  requireToken(token?: string | false): void
  /** The next `times` (default 1) requests (matching `match`) answer `status` (e.g. 500, 503, 429) with a Status. */
  failNext(status: number, times?: number, match?: FailureMatch): void

  /** Closes the listener and every connection: clients then see connection refused. Data is kept. */
  stop(): Promise<void>
  /** Listens again on the same port. */
  start(): Promise<void>
  /** stop(), and removes the kubeconfig. */
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------------------------------
// Built-in types

/** What the allocator watches, and the core types tests put next to them. */
export const builtInTypes: ReadonlyArray<ResourceType> = [
  ...R.byKind.values(),
  { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true },
  { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true }
].map((t) => ({ ...t, builtIn: true }))

const apiVersionOf = R.apiVersionOf
const typeKey = (group: string, version: string, plural: string): string => `${group}/${version}/${plural}`
const keyOfType = (t: ResourceType): string => typeKey(t.group, t.version, t.plural)
/** The object's key in its type's store, ordered as etcd orders keys. */
const objectKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name)
/** "pods", "endpointslices.discovery.k8s.io": how the apiserver names a resource in messages. */
const qualifiedName = (t: Pick<ResourceType, "group" | "plural">): string => (t.group === "" ? t.plural : `${t.plural}.${t.group}`)

const splitApiVersion = (apiVersion: string): { group: string; version: string } => {
  const slash = apiVersion.indexOf("/")
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

// ---------------------------------------------------------------------------------------------------------------------
// Status bodies and the errors that carry them

export interface StatusBody {
  readonly kind: "Status"
  readonly apiVersion: "v1"
  readonly metadata: Record<string, never>
  readonly status: "Failure"
  readonly message: string
  readonly reason: string
  readonly details?: Record<string, unknown>
  readonly code: number
}

const statusBody = (code: number, reason: string, message: string, details?: Record<string, unknown>): StatusBody => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message,
  reason,
  ...(details === undefined ? {} : { details }),
  code
})

/** Thrown by the store; the HTTP layer answers its Status, the programmatic API lets it propagate. */
export class ApiStatusError extends Error {
  readonly status: StatusBody
  constructor(status: StatusBody) {
    super(`${status.code} ${status.reason}: ${status.message}`)
    this.status = status
  }
}

const resourceDetails = (t: Pick<ResourceType, "group" | "plural">, name?: string): Record<string, unknown> => ({
  ...(name === undefined ? {} : { name }),
  ...(t.group === "" ? {} : { group: t.group }),
  kind: t.plural
})

const notFoundPath = (): StatusBody => statusBody(404, "NotFound", "the server could not find the requested resource", {})
const notFoundObject = (t: ResourceType, name: string): StatusBody =>
  statusBody(404, "NotFound", `${qualifiedName(t)} "${name}" not found`, resourceDetails(t, name))
const badRequest = (message: string): StatusBody => statusBody(400, "BadRequest", message)
const expired = (message: string): StatusBody => statusBody(410, "Expired", message)
const reasonFor = (code: number): string =>
  ({ 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed", 409: "Conflict", 410: "Expired", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout" } as Record<number, string>)[code] ?? "Unknown"

// ---------------------------------------------------------------------------------------------------------------------
// Label selectors (the full `k8s.io/apimachinery/pkg/labels` syntax)

export type LabelOperator = "exists" | "!exists" | "=" | "!=" | "in" | "notin" | ">" | "<"

export interface LabelRequirement {
  readonly key: string
  readonly operator: LabelOperator
  readonly values: ReadonlyArray<string>
}

export class SelectorError extends Error {}

type LabelToken = { readonly kind: "id" | "op" | "(" | ")" | "," | "!"; readonly text: string }

const labelSpecials = new Set(["(", ")", ",", "!", "=", ">", "<"])

const lexLabelSelector = (s: string): Array<LabelToken> => {
  const tokens: Array<LabelToken> = []
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (/\s/.test(c)) {
      i++
    } else if (s.startsWith("!=", i) || s.startsWith("==", i)) {
      tokens.push({ kind: "op", text: s.slice(i, i + 2) })
      i += 2
    } else if (c === "=" || c === ">" || c === "<") {
      tokens.push({ kind: "op", text: c })
      i++
    } else if (c === "(" || c === ")" || c === "," || c === "!") {
      tokens.push({ kind: c, text: c })
      i++
    } else {
      let j = i
      while (j < s.length && !labelSpecials.has(s[j]!) && !/\s/.test(s[j]!)) j++
      tokens.push({ kind: "id", text: s.slice(i, j) })
      i = j
    }
  }
  return tokens
}

/** Parses `a=b, c!=d, e in (x,y), f notin (z), g, !h, i>3`; "" selects everything. Throws SelectorError. */
export const parseLabelSelector = (selector: string): Array<LabelRequirement> => {
  const tokens = lexLabelSelector(selector)
  let pos = 0
  const peek = () => tokens[pos]
  const fail = (what: string): never => {
    throw new SelectorError(`unable to parse requirement: ${what} in label selector ${JSON.stringify(selector)}`)
  }
  const identifier = (what: string): string => {
    const t = tokens[pos++]
    return t?.kind === "id" ? t.text : fail(`expected ${what}, found ${t === undefined ? "end of string" : JSON.stringify(t.text)}`)
  }
  /** A value may be empty (`a=`), which the lexer cannot tell from a missing token. */
  const optionalValue = (): string => (peek()?.kind === "id" ? identifier("value") : "")
  const requirement = (): LabelRequirement => {
    if (peek()?.kind === "!") {
      pos++
      return { key: identifier("key"), operator: "!exists", values: [] }
    }
    const key = identifier("key")
    const next = peek()
    if (next === undefined || next.kind === ",") return { key, operator: "exists", values: [] }
    if (next.kind === "op") {
      pos++
      if (next.text === ">" || next.text === "<") {
        const value = identifier("integer value")
        if (!/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer, found ${JSON.stringify(value)}`)
        return { key, operator: next.text, values: [value] }
      }
      return { key, operator: next.text === "!=" ? "!=" : "=", values: [optionalValue()] }
    }
    if (next.kind === "id" && (next.text === "in" || next.text === "notin")) {
      pos++
      if (tokens[pos++]?.kind !== "(") fail(`expected "(" after ${next.text}`)
      const values: Array<string> = []
      for (;;) {
        values.push(optionalValue())
        const t = tokens[pos++]
        if (t?.kind === ")") break
        if (t?.kind !== ",") fail(`expected "," or ")" in the values of ${JSON.stringify(key)}`)
      }
      if (values.length === 1 && values[0] === "") fail(`for 'in', 'notin' operators, values set can't be empty`)
      return { key, operator: next.text, values }
    }
    return fail(`unexpected ${JSON.stringify(next.text)} after ${JSON.stringify(key)}`)
  }
  const requirements: Array<LabelRequirement> = []
  if (tokens.length === 0) return requirements
  for (;;) {
    requirements.push(requirement())
    const t = tokens[pos++]
    if (t === undefined) return requirements
    if (t.kind !== ",") fail(`expected "," before ${JSON.stringify(t.text)}`)
  }
}

/** `!=` and `notin` also match objects without the label, as in Kubernetes. */
export const matchesLabels = (requirements: ReadonlyArray<LabelRequirement>, labels: Readonly<Record<string, string>>): boolean =>
  requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key)
    const value = labels[key]
    switch (operator) {
      case "exists": return has
      case "!exists": return !has
      case "=": return has && value === values[0]
      case "!=": return !has || value !== values[0]
      case "in": return has && values.includes(value!)
      case "notin": return !has || !values.includes(value!)
      case ">":
      case "<": {
        if (!has || !/^-?\d+$/.test(value!)) return false
        const n = Number(value)
        const bound = Number(values[0])
        return operator === ">" ? n > bound : n < bound
      }
    }
  })

// ---------------------------------------------------------------------------------------------------------------------
// Field selectors: `path=value`, `path==value`, `path!=value`, comma-joined, with `\,` `\=` `\\` escapes

export interface FieldRequirement {
  /** A dotted path into the object, e.g. "spec.nodeName". */
  readonly path: string
  readonly operator: "=" | "!="
  readonly value: string
}

/** Splits at unescaped occurrences of `sep`, keeping escapes (they are removed once the value is isolated). */
const splitUnescaped = (s: string, sep: string): Array<string> => {
  const parts: Array<string> = []
  let start = 0
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++
    else if (s[i] === sep) {
      parts.push(s.slice(start, i))
      start = i + 1
    }
  }
  parts.push(s.slice(start))
  return parts
}

const unescapeFieldValue = (s: string): string => s.replace(/\\(.)/g, "$1")

export const parseFieldSelector = (selector: string): Array<FieldRequirement> => {
  if (selector.trim() === "") return []
  return splitUnescaped(selector, ",").map((term) => {
    for (let i = 0; i < term.length; i++) {
      if (term[i] === "\\") {
        i++
        continue
      }
      const operator = term.startsWith("!=", i) ? "!=" : term.startsWith("==", i) ? "==" : term[i] === "=" ? "=" : undefined
      if (operator !== undefined) {
        const path = term.slice(0, i).trim()
        if (path === "") break
        return { path, operator: operator === "!=" ? "!=" : "=", value: unescapeFieldValue(term.slice(i + operator.length)) }
      }
    }
    throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`)
  })
}

/** A field's value as the apiserver's field sets spell it: absent is "", scalars are their text. */
const fieldValue = (obj: unknown, path: string): string => {
  let v: unknown = obj
  for (const part of path.split(".")) {
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined
  }
  if (v === undefined || v === null) return ""
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v)
}

export const matchesFields = (requirements: ReadonlyArray<FieldRequirement>, obj: unknown): boolean =>
  requirements.every(({ path, operator, value }) => (fieldValue(obj, path) === value) === (operator === "="))

/** What a list or watch selects: a namespace (undefined: all) and the selectors. */
interface ObjectFilter {
  readonly namespace: string | undefined
  readonly labels: ReadonlyArray<LabelRequirement>
  readonly fields: ReadonlyArray<FieldRequirement>
}

const matchesFilter = (f: ObjectFilter, obj: KubeObject): boolean =>
  (f.namespace === undefined || obj.metadata.namespace === f.namespace) &&
  matchesLabels(f.labels, obj.metadata.labels ?? {}) &&
  matchesFields(f.fields, obj)

const filterOf = (namespace: string | undefined, query: URLSearchParams): ObjectFilter => ({
  namespace,
  labels: parseLabelSelector(query.get("labelSelector") ?? ""),
  fields: parseFieldSelector(query.get("fieldSelector") ?? "")
})

// ---------------------------------------------------------------------------------------------------------------------
// The store: objects per type, the global resourceVersion, and the event log

interface RecordedEvent {
  readonly rv: number
  readonly type: "ADDED" | "MODIFIED" | "DELETED"
  readonly typeKey: string
  readonly key: string
  /** The state after the change; for DELETED the last state, at the deletion's rv. */
  readonly object: KubeObject
  /** The state before (MODIFIED, DELETED): what selectors are evaluated against to see an object leave. */
  readonly prev: KubeObject | undefined
}

const clone = <T>(v: T): T => structuredClone(v)

/** JSON with sorted keys, to compare objects regardless of key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x)

const withResourceVersion = (obj: KubeObject, rv: number): KubeObject => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } })

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

class Store {
  readonly types = new Map<string, ResourceType>()
  private readonly objects = new Map<string, Map<string, KubeObject>>()
  private readonly log: Array<RecordedEvent> = []
  /** The empty store is at 1, so that no object has rv "0", which means "any" to the protocol. */
  rv = 1
  /** History at or before this rv is forgotten: an rv older than it is "too old". */
  compactedRv = 1
  /** Told about every change, to fan it out to open watches. */
  onEvent: (e: RecordedEvent) => void = () => {}

  register(t: ResourceType): void {
    this.types.set(keyOfType(t), t)
    if (!this.objects.has(keyOfType(t))) this.objects.set(keyOfType(t), new Map())
  }

  unregister(key: string): void {
    this.types.delete(key)
    this.objects.delete(key)
  }

  typeAt(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(typeKey(group, version, plural))
  }

  typeOf(apiVersion: string | undefined, kind: string | undefined): ResourceType {
    const { group, version } = splitApiVersion(apiVersion ?? "")
    for (const t of this.types.values()) if (t.group === group && t.version === version && t.kind === kind) return t
    throw new Error(`fake API server: no resource type for apiVersion ${JSON.stringify(apiVersion)} kind ${JSON.stringify(kind)}; register() it first`)
  }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    const b = this.objects.get(keyOfType(t))
    if (b === undefined) throw new Error(`fake API server: ${qualifiedName(t)} is not registered`)
    return b
  }

  /** Validates an incoming object and gives it the type's apiVersion/kind; the namespace is dropped for cluster-scoped types. */
  normalize(t: ResourceType, input: ObjectInput): KubeObject {
    const obj = JSON.parse(JSON.stringify(input)) as KubeObject
    obj.apiVersion = apiVersionOf(t)
    obj.kind = t.kind
    obj.metadata = { ...(obj.metadata ?? {}) }
    if (typeof obj.metadata.name !== "string" || obj.metadata.name === "") throw new ApiStatusError(statusBody(422, "Invalid", `${t.kind} "" is invalid: metadata.name: Required value: name is required`))
    if (!t.namespaced) delete obj.metadata.namespace
    else if (typeof obj.metadata.namespace !== "string" || obj.metadata.namespace === "") {
      throw new ApiStatusError(badRequest(`${t.kind} ${JSON.stringify(obj.metadata.name)}: a namespaced object needs metadata.namespace`))
    }
    return obj
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(t).get(objectKey(t.namespaced ? namespace : undefined, name))
  }

  create(t: ResourceType, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name)
    const bucket = this.bucket(t)
    if (bucket.has(key)) throw new ApiStatusError(statusBody(409, "AlreadyExists", `${qualifiedName(t)} "${obj.metadata.name}" already exists`, resourceDetails(t, obj.metadata.name)))
    const rv = ++this.rv
    const stored: KubeObject = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: typeof obj.metadata.uid === "string" && obj.metadata.uid !== "" ? obj.metadata.uid : randomUUID(),
        creationTimestamp: typeof obj.metadata.creationTimestamp === "string" ? obj.metadata.creationTimestamp : new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        resourceVersion: String(rv)
      }
    }
    bucket.set(key, stored)
    this.record({ rv, type: "ADDED", typeKey: keyOfType(t), key, object: stored, prev: undefined })
    return stored
  }

  /** `expectedRv`: optimistic concurrency as for HTTP PUT (undefined: unconditional). */
  update(t: ResourceType, obj: KubeObject, expectedRv?: string): KubeObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name)
    const bucket = this.bucket(t)
    const prev = bucket.get(key)
    if (prev === undefined) throw new ApiStatusError(notFoundObject(t, obj.metadata.name))
    if (expectedRv !== undefined && expectedRv !== "" && expectedRv !== prev.metadata.resourceVersion) {
      throw new ApiStatusError(statusBody(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedName(t)} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, resourceDetails(t, obj.metadata.name)))
    }
    const next: KubeObject = {
      ...obj,
      metadata: { ...obj.metadata, uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp, resourceVersion: prev.metadata.resourceVersion }
    }
    // The real server does not bump the rv (nor send an event) for an update that changes nothing.
    if (canonical(next) === canonical(prev)) return prev
    const rv = ++this.rv
    const stored = withResourceVersion(next, rv)
    bucket.set(key, stored)
    this.record({ rv, type: "MODIFIED", typeKey: keyOfType(t), key, object: stored, prev })
    return stored
  }

  delete(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = objectKey(t.namespaced ? namespace : undefined, name)
    const bucket = this.bucket(t)
    const prev = bucket.get(key)
    if (prev === undefined) return undefined
    bucket.delete(key)
    const rv = ++this.rv
    // The DELETED event carries the deletion's rv, so a client resuming from it does not see the deletion twice.
    const object = withResourceVersion(prev, rv)
    this.record({ rv, type: "DELETED", typeKey: keyOfType(t), key, object, prev })
    return object
  }

  private record(e: RecordedEvent): void {
    this.log.push(e)
    this.onEvent(e)
  }

  compact(): void {
    this.compactedRv = this.rv
    const keep = this.log.findIndex((e) => e.rv > this.compactedRv)
    this.log.splice(0, keep < 0 ? this.log.length : keep)
  }

  /** The recorded events after `rv` (callers check `rv >= compactedRv` first). */
  eventsAfter(rv: number): Array<RecordedEvent> {
    return this.log.filter((e) => e.rv > rv)
  }

  /**
   * The type's objects as they were at `rv` (>= compactedRv), sorted by key: the current state with the later events
   * undone, newest first. This is what makes continue pages and Exact lists a consistent snapshot.
   */
  stateAt(t: ResourceType, rv: number): Array<{ key: string; object: KubeObject }> {
    const state = new Map(this.bucket(t))
    const k = keyOfType(t)
    for (let i = this.log.length - 1; i >= 0; i--) {
      const e = this.log[i]!
      if (e.rv <= rv) break
      if (e.typeKey !== k) continue
      if (e.type === "ADDED") state.delete(e.key)
      else if (e.prev !== undefined) state.set(e.key, e.prev)
    }
    return [...state].map(([key, object]) => ({ key, object })).sort(byKey)
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Watches

/**
 * What a watcher with `filter` sees of a change, as the apiserver's watch cache decides it: an object entering the
 * selection is ADDED, one leaving it is DELETED (with its previous state, at the event's rv).
 */
const project = (e: RecordedEvent, filter: ObjectFilter): WatchEvent | undefined => {
  const now = e.type !== "DELETED" && matchesFilter(filter, e.object)
  const before = e.prev !== undefined && matchesFilter(filter, e.prev)
  if (now) return { type: before ? "MODIFIED" : "ADDED", object: e.object }
  if (before) return { type: "DELETED", object: withResourceVersion(e.prev!, e.rv) }
  return undefined
}

class WatchStream {
  readonly path: string
  readonly type: ResourceType
  readonly filter: ObjectFilter
  readonly bookmarks: boolean
  private readonly res: ServerResponse
  private timer: NodeJS.Timeout | undefined
  private closed = false
  /** Called once, when the stream ends (by us) or the connection goes (by the client, or `stop()`). */
  private readonly onClose: () => void

  constructor(path: string, type: ResourceType, filter: ObjectFilter, bookmarks: boolean, res: ServerResponse, onClose: () => void) {
    this.path = path
    this.type = type
    this.filter = filter
    this.bookmarks = bookmarks
    this.res = res
    this.onClose = onClose
    res.on("close", () => this.close())
  }

  send(e: WatchEvent): void {
    if (!this.closed) this.res.write(JSON.stringify(e) + "\n")
  }

  deliver(e: RecordedEvent): void {
    if (e.typeKey !== keyOfType(this.type)) return
    const out = project(e, this.filter)
    if (out !== undefined) this.send(out)
  }

  sendBookmark(rv: number, annotations?: Record<string, string>): void {
    if (!this.bookmarks) return
    const metadata = { resourceVersion: String(rv), ...(annotations === undefined ? {} : { annotations }) }
    this.send({ type: "BOOKMARK", object: { kind: this.type.kind, apiVersion: apiVersionOf(this.type), metadata } })
  }

  /** Ends the stream as the server's `timeoutSeconds` would. */
  endAfter(seconds: number): void {
    this.timer = setTimeout(() => this.end(), seconds * 1000)
  }

  /** Ends the stream cleanly: the client sees the end of the body, and must watch again. */
  end(): void {
    if (this.closed) return
    this.res.end()
    this.close()
  }

  /** Unregisters at once, so that no change made after `end()` is written to a finished response. */
  private close(): void {
    if (this.closed) return
    this.closed = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.onClose()
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// HTTP routing

type Route =
  | { readonly kind: "version" }
  | { readonly kind: "apiVersions" }
  | { readonly kind: "apiGroupList" }
  | { readonly kind: "apiGroup"; readonly group: string }
  | { readonly kind: "resourceList"; readonly group: string; readonly version: string }
  | {
    readonly kind: "resource"
    readonly group: string
    readonly version: string
    readonly plural: string
    /** Undefined: cluster scope (or all namespaces). */
    readonly namespace: string | undefined
    readonly name: string | undefined
    readonly subresource: string | undefined
  }
  | { readonly kind: "unknown" }

/** Maps a URL path to what it addresses, without knowing which types exist. */
export const routeOf = (pathname: string): Route => {
  const segments = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent)
  const [root, ...rest] = segments
  if (root === "version" && rest.length === 0) return { kind: "version" }
  let group: string
  let version: string | undefined
  let tail: Array<string>
  if (root === "api") {
    if (rest.length === 0) return { kind: "apiVersions" }
    ;[version, ...tail] = rest
    group = ""
  } else if (root === "apis") {
    if (rest.length === 0) return { kind: "apiGroupList" }
    if (rest.length === 1) return { kind: "apiGroup", group: rest[0]! }
    ;[group, version, ...tail] = rest as [string, string, ...Array<string>]
  } else {
    return { kind: "unknown" }
  }
  if (version === undefined) return { kind: "unknown" }
  if (tail.length === 0) return { kind: "resourceList", group, version }
  // `namespaces/<ns>` alone is the Namespace object itself; `namespaces/<ns>/<plural>...` is inside a namespace.
  const inNamespace = tail[0] === "namespaces" && tail.length >= 3
  const namespace = inNamespace ? tail[1] : undefined
  const [plural, name, subresource, ...extra] = inNamespace ? tail.slice(2) : tail
  if (plural === undefined || extra.length > 0) return { kind: "unknown" }
  return { kind: "resource", group, version, plural, namespace, name, subresource }
}

const verbOf = (method: string, named: boolean, watch: boolean): Verb | undefined => {
  switch (method) {
    case "GET": return watch ? "watch" : named ? "get" : "list"
    case "POST": return named ? undefined : "create"
    case "PUT": return named ? "update" : undefined
    case "PATCH": return named ? "patch" : undefined
    case "DELETE": return named ? "delete" : "deletecollection"
    default: return undefined
  }
}

/** The apiserver's strconv.ParseBool. */
const isTrue = (v: string | null): boolean => v !== null && ["1", "t", "T", "true", "TRUE", "True"].includes(v)

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sendJson = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers })
  res.end(text)
}

interface ContinueToken {
  readonly rv: number
  readonly start: string
}

/** The apiserver's token: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`. */
const encodeContinue = (rv: number, lastKey: string): string =>
  Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${lastKey}\u0000` })).toString("base64url")

const decodeContinue = (token: string): ContinueToken => {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { v?: unknown; rv?: unknown; start?: unknown }
    if (parsed.v === "meta.k8s.io/v1" && typeof parsed.rv === "number" && typeof parsed.start === "string") return { rv: parsed.rv, start: parsed.start }
  } catch {
    // fall through to the error
  }
  throw new ApiStatusError(badRequest(`continue key is not valid: ${JSON.stringify(token)}`))
}

const parseRv = (s: string): number => {
  if (!/^\d+$/.test(s)) throw new ApiStatusError(badRequest(`invalid resource version: ${JSON.stringify(s)}`))
  return Number(s)
}

// ---------------------------------------------------------------------------------------------------------------------
// The server

interface PendingWait {
  /** True when satisfied (and then settled). */
  readonly check: () => boolean
}

class FakeApiServerImpl implements FakeApiServer {
  readonly token: string
  readonly namespace: string
  readonly kubeconfigPath: string
  readonly requests: Array<RecordedRequest> = []
  expiredWatch: "event" | "status"
  port = 0

  private readonly store = new Store()
  private readonly server: Server
  private readonly user: string
  private readonly kubeconfigDir: string
  private readonly sockets = new Set<Socket>()
  private readonly watches = new Set<WatchStream>()
  private readonly waits = new Set<PendingWait>()
  private denials: Array<DenyRule> = []
  private failures: Array<{ status: number; remaining: number; match: FailureMatch | undefined }> = []
  private requiredToken: string | undefined
  private listening = false

  constructor(options: FakeApiServerOptions) {
    this.token = options.token ?? "fake-token"
    this.namespace = options.namespace ?? "default"
    this.user = options.user ?? "system:serviceaccount:otel:ta"
    this.expiredWatch = options.expiredWatch ?? "event"
    this.requiredToken = options.requireToken === true ? this.token : undefined
    for (const t of [...builtInTypes, ...(options.types ?? [])]) this.store.register(t)
    this.load(options.objects ?? [])
    this.store.onEvent = (e) => {
      for (const w of this.watches) w.deliver(e)
    }
    this.kubeconfigDir = mkdtempSync(join(tmpdir(), "fake-kube-"))
    this.kubeconfigPath = join(this.kubeconfigDir, "kubeconfig")
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, statusBody(500, "InternalError", `fake API server: ${(e as Error)?.stack ?? String(e)}`))
        else res.destroy()
      })
    })
    this.server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get resourceVersion(): string {
    return String(this.store.rv)
  }

  // --- lifecycle -----------------------------------------------------------------------------------------------------

  start(): Promise<void> {
    if (this.listening) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e)
      this.server.once("error", onError)
      this.server.listen(this.port, "127.0.0.1", () => {
        this.server.off("error", onError)
        this.listening = true
        this.port = (this.server.address() as AddressInfo).port
        resolve()
      })
    })
  }

  stop(): Promise<void> {
    if (!this.listening) return Promise.resolve()
    this.listening = false
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      // Not a graceful shutdown: open watches and keep-alive connections are cut, as when the apiserver goes away.
      for (const s of this.sockets) s.destroy()
    })
  }

  async close(): Promise<void> {
    await this.stop()
    rmSync(this.kubeconfigDir, { recursive: true, force: true })
  }

  writeKubeconfig(): void {
    // JSON strings are valid YAML scalars, which spares quoting rules. A plain-http server needs
    // insecure-skip-tls-verify: client-node refuses http:// otherwise.
    const q = JSON.stringify
    writeFileSync(this.kubeconfigPath, [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: fake",
      "  cluster:",
      `    server: ${q(this.url)}`,
      "    insecure-skip-tls-verify: true",
      "users:",
      "- name: fake",
      "  user:",
      `    token: ${q(this.token)}`,
      "contexts:",
      "- name: fake",
      "  context:",
      "    cluster: fake",
      "    user: fake",
      `    namespace: ${q(this.namespace)}`,
      "current-context: fake",
      ""
    ].join("\n"))
  }

  // --- data ----------------------------------------------------------------------------------------------------------

  register(type: ResourceType): void {
    this.store.register(type)
  }

  unregister(group: string, version: string, plural: string): void {
    const key = typeKey(group, version, plural)
    for (const w of this.watches) if (keyOfType(w.type) === key) w.end()
    this.store.unregister(key)
  }

  create<T extends ObjectInput>(obj: T): KubeObject {
    const t = this.store.typeOf(obj.apiVersion, obj.kind)
    return clone(this.store.create(t, this.store.normalize(t, obj)))
  }

  update<T extends ObjectInput>(obj: T): KubeObject {
    const t = this.store.typeOf(obj.apiVersion, obj.kind)
    return clone(this.store.update(t, this.store.normalize(t, obj)))
  }

  apply<T extends ObjectInput>(obj: T): KubeObject {
    const t = this.store.typeOf(obj.apiVersion, obj.kind)
    const normalized = this.store.normalize(t, obj)
    const exists = this.store.get(t, normalized.metadata.namespace, normalized.metadata.name) !== undefined
    return clone(exists ? this.store.update(t, normalized) : this.store.create(t, normalized))
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const deleted = this.store.delete(this.store.typeOf(apiVersion, kind), namespace, name)
    return deleted === undefined ? undefined : clone(deleted)
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store.get(this.store.typeOf(apiVersion, kind), namespace, name)
    return found === undefined ? undefined : clone(found)
  }

  list(apiVersion: string, kind: string, namespace?: string): Array<KubeObject> {
    const t = this.store.typeOf(apiVersion, kind)
    return this.store.stateAt(t, this.store.rv)
      .map((e) => e.object)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .map(clone)
  }

  load<T extends ObjectInput>(objects: ReadonlyArray<T>): Array<KubeObject> {
    return objects.map((o) => this.apply(o))
  }

  // --- controls ------------------------------------------------------------------------------------------------------

  closeWatches(path?: string): void {
    for (const w of this.watches) if (path === undefined || w.path === path) w.end()
  }

  compact(): void {
    this.store.compact()
  }

  bookmark(): void {
    for (const w of this.watches) w.sendBookmark(this.store.rv)
  }

  openWatches(path?: string): number {
    let n = 0
    for (const w of this.watches) if (path === undefined || w.path === path) n++
    return n
  }

  waitForWatches(count: number, path?: string, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => (this.openWatches(path) >= count ? true : undefined), timeoutMs, `${count} open watch(es)${path === undefined ? "" : ` on ${path}`} (open: ${this.openWatches(path)})`)
      .then(() => undefined)
  }

  waitForRequest(predicate: (r: RecordedRequest) => boolean, options: { readonly since?: number; readonly timeoutMs?: number } = {}): Promise<RecordedRequest> {
    let next = options.since ?? this.requests.length
    return this.waitFor(() => {
      for (; next < this.requests.length; next++) {
        const r = this.requests[next]!
        if (predicate(r)) return r
      }
      return undefined
    }, options.timeoutMs ?? 5000, "a matching request")
  }

  deny(rule: DenyRule): void {
    this.denials.push(rule)
  }

  allow(rule?: DenyRule): void {
    this.denials = rule === undefined ? [] : this.denials.filter((d) => canonical(d) !== canonical(rule))
  }

  requireToken(token?: string | false): void {
    this.requiredToken = token === false ? undefined : token ?? this.token
  }

  failNext(status: number, times = 1, match?: FailureMatch): void {
    this.failures.push({ status, remaining: times, match })
  }

  /** Resolves when `probe` gives a value: checked now, then after every request and watch change (no polling). */
  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const first = probe()
    if (first !== undefined) return Promise.resolve(first)
    return new Promise<T>((resolve, reject) => {
      const wait: PendingWait = {
        check: () => {
          const v = probe()
          if (v === undefined) return false
          clearTimeout(timer)
          this.waits.delete(wait)
          resolve(v)
          return true
        }
      }
      const timer = setTimeout(() => {
        this.waits.delete(wait)
        reject(new Error(`fake API server: timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      this.waits.add(wait)
    })
  }

  private poke(): void {
    for (const w of [...this.waits]) w.check()
  }

  // --- HTTP ----------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const method = req.method ?? "GET"
    const route = routeOf(url.pathname)
    const watch = isTrue(url.searchParams.get("watch"))
    const verb = route.kind === "resource" ? verbOf(method, route.name !== undefined, watch) : undefined
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      verb,
      resource: route.kind === "resource" ? route.plural : undefined,
      namespace: route.kind === "resource" ? route.namespace : undefined,
      status: undefined
    }
    this.requests.push(record)
    const answer = (code: number, body: unknown, headers?: Record<string, string>) => {
      record.status = code
      sendJson(res, code, body, headers)
    }
    try {
      // In the order the apiserver's filters run: (our injected failures first,) authentication, routing, RBAC.
      const failure = this.failures.find((f) => f.remaining > 0 && (f.match?.verb === undefined || f.match.verb === verb) && (f.match?.resource === undefined || f.match.resource === record.resource))
      if (failure !== undefined) {
        failure.remaining--
        this.failures = this.failures.filter((f) => f.remaining > 0)
        const s = failure.status
        return answer(s, statusBody(s, reasonFor(s), s === 429 ? "Too many requests, please try again later." : `fake API server: injected failure (HTTP ${s})`), s === 429 || s === 503 ? { "Retry-After": "1" } : {})
      }
      if (this.requiredToken !== undefined && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
        return answer(401, statusBody(401, "Unauthorized", "Unauthorized"))
      }
      switch (route.kind) {
        case "version": return answer(200, this.versionInfo())
        case "apiVersions": return answer(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${this.port}` }] })
        case "apiGroupList": return answer(200, { kind: "APIGroupList", apiVersion: "v1", groups: this.apiGroups() })
        case "apiGroup": {
          const g = this.apiGroups().find((x) => x.name === route.group)
          return g === undefined ? answer(404, notFoundPath()) : answer(200, { kind: "APIGroup", apiVersion: "v1", ...g })
        }
        case "resourceList": {
          const list = this.resourceList(route.group, route.version)
          return list === undefined ? answer(404, notFoundPath()) : answer(200, list)
        }
        case "unknown": return answer(404, notFoundPath())
        case "resource": break
      }
      const t = this.store.typeAt(route.group, route.version, route.plural)
      // A type not served (a CRD not installed), a cluster-scoped type addressed in a namespace, a subresource.
      if (t === undefined || (!t.namespaced && route.namespace !== undefined) || route.subresource !== undefined || (t.namespaced && route.namespace === undefined && route.name !== undefined)) {
        return answer(404, notFoundPath())
      }
      if (verb === undefined || verb === "patch" || verb === "deletecollection") {
        return answer(405, statusBody(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (fake API server: ${method} not modelled)`))
      }
      const denied = this.denials.some((d) =>
        (d.verb === undefined || d.verb === "*" || d.verb === verb) && d.resource === t.plural && (d.group === undefined || d.group === t.group) &&
        (d.namespace === undefined || d.namespace === route.namespace))
      if (denied) return answer(403, this.forbidden(t, verb, route.namespace, route.name))

      switch (verb) {
        case "watch": return this.watch(t, route.namespace, route.name, url, res, record)
        case "list": return answer(200, this.listBody(t, route.namespace, url.searchParams))
        case "get": {
          const found = this.store.get(t, route.namespace, route.name!)
          return found === undefined ? answer(404, notFoundObject(t, route.name!)) : answer(200, found)
        }
        case "create":
        case "update": {
          const body = await readBody(req)
          let input: KubeObject
          try {
            input = JSON.parse(body) as KubeObject
          } catch (e) {
            return answer(400, badRequest(`the request body is not JSON: ${(e as Error).message}`))
          }
          input.metadata = { ...(input.metadata ?? {}) }
          if (t.namespaced) {
            if (input.metadata.namespace !== undefined && input.metadata.namespace !== route.namespace) {
              return answer(400, badRequest("the namespace of the provided object does not match the namespace sent on the request"))
            }
            if (route.namespace !== undefined) input.metadata.namespace = route.namespace
          }
          if (verb === "update" && input.metadata.name !== route.name) {
            return answer(400, badRequest("the name of the object does not match the name on the URL"))
          }
          const normalized = this.store.normalize(t, input)
          return verb === "create"
            ? answer(201, this.store.create(t, normalized))
            : answer(200, this.store.update(t, normalized, input.metadata.resourceVersion))
        }
        case "delete": {
          const deleted = this.store.delete(t, route.namespace, route.name!)
          return deleted === undefined ? answer(404, notFoundObject(t, route.name!)) : answer(200, deleted)
        }
      }
    } catch (e) {
      if (e instanceof ApiStatusError) return answer(e.status.code, e.status)
      if (e instanceof SelectorError) return answer(400, badRequest(e.message))
      throw e
    } finally {
      this.poke()
    }
  }

  private forbidden(t: ResourceType, verb: Verb, namespace: string | undefined, name: string | undefined): StatusBody {
    const subject = name === undefined ? qualifiedName(t) : `${qualifiedName(t)} "${name}"`
    const scope = namespace === undefined ? "at the cluster scope" : `in the namespace "${namespace}"`
    return statusBody(403, "Forbidden", `${subject} is forbidden: User "${this.user}" cannot ${verb} resource "${t.plural}" in API group "${t.group}" ${scope}`, resourceDetails(t, name))
  }

  private versionInfo() {
    return {
      major: "1",
      minor: "33",
      gitVersion: "v1.33.0-fake",
      gitCommit: "0000000000000000000000000000000000000000",
      gitTreeState: "clean",
      buildDate: "2025-01-01T00:00:00Z",
      goVersion: "go1.24.0",
      compiler: "gc",
      platform: "linux/amd64"
    }
  }

  private apiGroups() {
    const groups = new Map<string, Array<string>>()
    for (const t of this.store.types.values()) {
      if (t.group === "") continue
      const versions = groups.get(t.group) ?? []
      if (!versions.includes(t.version)) versions.push(t.version)
      groups.set(t.group, versions)
    }
    return [...groups].map(([name, versions]) => {
      const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }))
      return { name, versions: list, preferredVersion: list[0]! }
    })
  }

  private resourceList(group: string, version: string) {
    const resources = [...this.store.types.values()]
      .filter((t) => t.group === group && t.version === version)
      .map((t) => ({
        name: t.plural,
        singularName: t.singular ?? t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ["create", "delete", "get", "list", "update", "watch"],
        ...(t.shortNames === undefined ? {} : { shortNames: [...t.shortNames] })
      }))
    if (resources.length === 0) return undefined
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf({ group, version }), resources }
  }

  /** A `<Kind>List` page: of the current state, or of the snapshot a continue token or an Exact rv names. */
  private listBody(t: ResourceType, namespace: string | undefined, query: URLSearchParams) {
    const filter = filterOf(namespace, query)
    const token = query.get("continue")
    const rvParam = query.get("resourceVersion")
    let at = this.store.rv
    let start = ""
    if (token !== null && token !== "") {
      const c = decodeContinue(token)
      if (c.rv < this.store.compactedRv) {
        throw new ApiStatusError(expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."))
      }
      at = c.rv
      start = c.start
    } else if (query.get("resourceVersionMatch") === "Exact" && rvParam !== null) {
      const rv = parseRv(rvParam)
      if (rv < this.store.compactedRv) throw new ApiStatusError(expired(`too old resource version: ${rv} (${this.store.compactedRv})`))
      if (rv > this.store.rv) throw new ApiStatusError(statusBody(504, "Timeout", `Too large resource version: ${rv}, current: ${this.store.rv}`, { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 }))
      at = rv
    }
    const selected = this.store.stateAt(t, at).filter((e) => e.key >= start && matchesFilter(filter, e.object))
    const limitParam = Number(query.get("limit") ?? "0")
    const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : selected.length
    const page = selected.slice(0, limit)
    const more = selected.length > page.length
    const selectors = filter.labels.length > 0 || filter.fields.length > 0
    const metadata = {
      resourceVersion: String(at),
      ...(more ? { continue: encodeContinue(at, page[page.length - 1]!.key) } : {}),
      // The real server only counts the rest when it need not run selectors over it.
      ...(more && !selectors ? { remainingItemCount: selected.length - page.length } : {})
    }
    const items = page.map(({ object }) => {
      if (t.builtIn !== true) return object
      const { apiVersion: _a, kind: _k, ...rest } = object
      return rest
    })
    return { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata, items }
  }

  private watch(t: ResourceType, namespace: string | undefined, name: string | undefined, url: URL, res: ServerResponse, record: RecordedRequest): void {
    const q = url.searchParams
    const base = filterOf(namespace, q)
    // A watch on a named object (the old style) is a watch on the collection for that one name.
    const filter: ObjectFilter = name === undefined ? base : { ...base, fields: [...base.fields, { path: "metadata.name", operator: "=", value: name }] }
    const rvParam = q.get("resourceVersion") ?? ""
    const fromRv = rvParam === "" || rvParam === "0" ? undefined : parseRv(rvParam)
    const sendInitialEvents = isTrue(q.get("sendInitialEvents"))

    if (fromRv !== undefined && fromRv < this.store.compactedRv && !sendInitialEvents) {
      const status = expired(`too old resource version: ${fromRv} (${this.store.compactedRv})`)
      if (this.expiredWatch === "status") {
        record.status = 410
        sendJson(res, 410, status)
        return
      }
      record.status = 200
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" })
      res.end(JSON.stringify({ type: "ERROR", object: status }) + "\n")
      return
    }

    record.status = 200
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" })
    // The client's fetch resolves on the headers; without flushing, a quiet watch would look like a hung request.
    res.flushHeaders()
    const stream = new WatchStream(url.pathname, t, filter, isTrue(q.get("allowWatchBookmarks")), res, () => {
      this.watches.delete(stream)
      this.poke()
    })
    // Replay and registration happen in the same tick, so no change can fall between them.
    if (fromRv === undefined || sendInitialEvents) {
      for (const { object } of this.store.stateAt(t, this.store.rv)) {
        if (matchesFilter(filter, object)) stream.send({ type: "ADDED", object })
      }
      if (sendInitialEvents) stream.sendBookmark(this.store.rv, { "k8s.io/initial-events-end": "true" })
    } else {
      for (const e of this.store.eventsAfter(fromRv)) stream.deliver(e)
    }
    this.watches.add(stream)
    const timeout = Number(q.get("timeoutSeconds") ?? "0")
    if (Number.isFinite(timeout) && timeout > 0) stream.endAfter(timeout)
  }
}

/** Starts a fake API server on 127.0.0.1 and writes its kubeconfig. */
export const startFakeApiServer = async (options: FakeApiServerOptions = {}): Promise<FakeApiServer> => {
  const server = new FakeApiServerImpl(options)
  server.port = options.port ?? 0
  await server.start()
  server.writeKubeconfig()
  return server
}

/** A client-node KubeConfig loaded from the server's kubeconfig file. */
export const kubeConfigFor = (server: FakeApiServer): KubeConfig => {
  const kc = new KubeConfig()
  kc.loadFromFile(server.kubeconfigPath)
  return kc
}
