/**
 * `undici`, loaded when the first http_sd or Kubernetes client is made: a megabyte and a half of code that
 * commands and configurations with neither should not compile at start-up (a tenth of a second of CPU).
 */
import { Effect } from "effect"

export type Undici = typeof import("undici").default

let loading: Promise<Undici> | undefined

// The default export, `module.exports`: a bundle's chunk of a CommonJS package has no named exports.
export const undici: Effect.Effect<Undici> = Effect.promise(() => (loading ??= import("undici").then((m) => m.default)))
