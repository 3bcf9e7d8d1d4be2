/**
 * Which cluster to talk to, in this order: `--kubeconfig-path` / `kube_config_file_path`, then `KUBECONFIG`, then
 * the in-cluster service account, then `~/.kube/config`. (Upstream never reads `KUBECONFIG`, although its docs say
 * it does; we do.)
 */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { clientNode } from "./clientNode.ts"
import { KubeConfigError } from "./errors.ts"

const inCluster = () => process.env["KUBERNETES_SERVICE_HOST"] !== undefined && existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token")

export const loadKubeConfig = (path: string) =>
  Effect.flatMap(clientNode, (k8s) => Effect.try({
    try: () => {
      const kc = new k8s.KubeConfig()
      const envPath = process.env["KUBECONFIG"]
      const home = join(homedir(), ".kube", "config")
      if (path !== "") {
        if (!existsSync(path)) throw new Error(`kubeconfig ${JSON.stringify(path)} (--kubeconfig-path / kube_config_file_path) does not exist`)
        kc.loadFromFile(path)
      } else if (envPath !== undefined && envPath !== "") {
        kc.loadFromDefault()
      } else if (inCluster()) {
        kc.loadFromCluster()
      } else if (existsSync(home)) {
        kc.loadFromFile(home)
      } else {
        throw new Error("no Kubernetes configuration: set --kubeconfig-path or KUBECONFIG, or run in a cluster")
      }
      if (kc.getCurrentCluster() === null) throw new Error("the kubeconfig has no current cluster")
      return kc
    },
    catch: (e) => new KubeConfigError({ message: (e as Error).message })
  }))
