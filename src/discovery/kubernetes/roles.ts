/** The role functions by role name. */
import * as Endpoints from "./endpoints.ts"
import * as EndpointSlice from "./endpointslice.ts"
import * as Ingress from "./ingress.ts"
import * as Node from "./node.ts"
import * as Pod from "./pod.ts"
import * as Service from "./service.ts"
import type { Role, RoleFunction } from "./types.ts"

export const roleFunctions: Record<Role, RoleFunction> = {
  pod: Pod.group,
  service: Service.group,
  endpoints: Endpoints.group,
  endpointslice: EndpointSlice.group,
  node: Node.group,
  ingress: Ingress.group
}
