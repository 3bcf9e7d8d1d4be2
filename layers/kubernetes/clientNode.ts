/**
 * `@kubernetes/client-node`, loaded when the first Kubernetes connection is made: it costs about a second of CPU
 * and 90 MB to load, which commands and configurations that never talk to Kubernetes should not pay.
 */
import { Effect } from "effect"

export type ClientNode = typeof import("@kubernetes/client-node")

let loading: Promise<ClientNode> | undefined

export const clientNode: Effect.Effect<ClientNode> = Effect.promise(() => (loading ??= import("@kubernetes/client-node")))
