/** What can go wrong talking to the API server, each with what a user needs to fix it. */
import { Data } from "effect"

/** 401: the credentials are missing or not accepted. */
export class Unauthorized extends Data.TaggedError("Unauthorized")<{ readonly message: string }> {}

/** 403: RBAC does not allow the verb on the resource; the message names both. */
export class Forbidden extends Data.TaggedError("Forbidden")<{
  readonly message: string
  readonly verb: string
  readonly resource: string
}> {}

/** 404: the resource type is not served (for a custom resource: its CRD is not installed). */
export class NotFound extends Data.TaggedError("NotFound")<{ readonly message: string; readonly resource: string }> {}

/** 410: the resourceVersion asked for is older than the server keeps; the store must be listed again. */
export class ResourceExpired extends Data.TaggedError("ResourceExpired")<{ readonly message: string }> {}

/** The API server could not be reached (refused, reset, DNS, TLS, timeout). */
export class Unreachable extends Data.TaggedError("Unreachable")<{ readonly message: string; readonly server: string }> {}

/** Any other answer: 5xx, an unexpected body. */
export class ApiError extends Data.TaggedError("ApiError")<{ readonly message: string; readonly status: number }> {}

/** No usable Kubernetes configuration. */
export class KubeConfigError extends Data.TaggedError("KubeConfigError")<{ readonly message: string }> {}

export type KubernetesError = Unauthorized | Forbidden | NotFound | ResourceExpired | Unreachable | ApiError

interface StatusBody {
  readonly message?: string
  readonly reason?: string
  readonly code?: number
}

/** Turns an error answer into the error a user can act on. */
export const fromStatus = (status: number, body: StatusBody | undefined, verb: string, resource: string, server: string): KubernetesError => {
  const said = body?.message ?? `HTTP ${status}`
  switch (status) {
    case 401:
      return new Unauthorized({ message: `the API server at ${server} refused our credentials: ${said}` })
    case 403:
      return new Forbidden({
        verb,
        resource,
        message: `not allowed to ${verb} ${resource}: ${said} (grant the allocator's service account "${verb}" on this resource)`
      })
    case 404:
      return new NotFound({ resource, message: `${resource} is not served by the API server (for a custom resource: is its CRD installed?): ${said}` })
    case 410:
      return new ResourceExpired({ message: said })
    default:
      return new ApiError({ status, message: `${verb} ${resource}: ${said}` })
  }
}
