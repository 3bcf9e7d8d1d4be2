/**
 * The fake API server in a process of its own, so that a benchmark's CPU figures are the allocator's alone.
 * Started with a cluster shape (JSON in argv[2]); tells its parent where it listens, then applies the pod updates
 * the parent asks for.
 */
import { startFakeApiServer } from "../test/support/fakeApiServer.ts"
import { pod, type ClusterShape } from "./cluster.ts"

export type ToApiServer = { readonly update: number; readonly generation: number } | { readonly close: true }
export type FromApiServer = { readonly url: string; readonly kubeconfigPath: string } | { readonly updated: number }

const shape = JSON.parse(process.argv[2]!) as ClusterShape
const api = await startFakeApiServer({ objects: Array.from({ length: shape.pods }, (_, i) => pod(i, shape)) })
const send = (m: FromApiServer) => process.send!(m)
process.on("message", async (m: ToApiServer) => {
  if ("close" in m) {
    await api.close()
    process.exit(0)
  }
  api.update(pod(m.update, shape, m.generation))
  send({ updated: m.update })
})
send({ url: api.url, kubeconfigPath: api.kubeconfigPath })
