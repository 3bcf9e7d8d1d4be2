/**
 * JSON as the upstream allocator writes Prometheus documents (yaml.v2 → JSON with keys sorted at every level), and
 * Go's `omitempty`. Secrets are `<secret>` unless revealed on purpose.
 */
import { Secret } from "../../secret.ts"

export type SecretMode = "redact" | "reveal"

export type Json = string | number | bigint | boolean | null | Secret | ReadonlyArray<Json> | { readonly [k: string]: Json | undefined }

/** JSON with object keys sorted at every level; `undefined` members are left out. */
export const sortedJson = (v: Json, secrets: SecretMode): string => {
  if (v instanceof Secret) return JSON.stringify(secrets === "reveal" ? v.reveal() : v.toString())
  if (typeof v === "bigint") return v.toString()
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map((x: Json) => sortedJson(x, secrets)).join(",")}]`
  const obj = v as { readonly [k: string]: Json | undefined }
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k]!, secrets)}`).join(",")}}`
}

/** Go's `omitempty`: zero values are left out. */
export const nz = <A>(v: A): A | undefined =>
  v === undefined || v === null || v === "" || v === 0 || v === 0n || v === false ||
    (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && !(v instanceof Secret) && Object.keys(v as object).length === 0)
    ? undefined
    : v
/** A secret field: an empty one is left out, as Prometheus's `Secret` is a string with `omitempty`. */
export const secret = (s: Secret | undefined): Secret | undefined => (s === undefined || s.reveal() === "" ? undefined : s)

