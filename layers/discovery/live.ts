/** The discovery providers with everything they touch: files, DNS, Kubernetes connections and shared watches. */
import { NodeServices } from "@effect/platform-node"
import { Layer } from "effect"
import { KubeClients } from "../kubernetes/clients.ts"
import { Informers } from "../kubernetes/informers.ts"
import { DnsResolver } from "./dns.ts"
import { Providers } from "./Providers.ts"

export const providersLive = (kubeconfigPath: string, ownNamespace: string | undefined) =>
  Providers.layer(ownNamespace).pipe(
    Layer.provide([NodeServices.layer, DnsResolver.layer(), KubeClients.layer(kubeconfigPath), Informers.layer])
  )
