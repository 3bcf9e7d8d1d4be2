/** `kubernetes_sd_config`, as Prometheus 3.14 reads and checks it. */
import { Schema } from "effect"
import { roles, type Role } from "../../../discovery/kubernetes/types.ts"
import { issue, type ConfigIssue, type Path } from "../../issues.ts"
import { Bool, field, Text, withDefault } from "../../scalars.ts"
import { httpClientFields, validateHttpClient, type HttpClientConfig } from "../httpClientConfig.ts"

const RoleName = Text.pipe(Schema.decodeTo(Schema.String)) as unknown as Schema.Codec<string, string>

export const KubernetesSdConfigInput = Schema.Struct({
  api_server: field(Text, undefined, undefined),
  role: withDefault(RoleName, ""),
  kubeconfig_file: withDefault(Text, ""),
  ...httpClientFields,
  namespaces: withDefault(Schema.Struct({
    own_namespace: withDefault(Bool, false),
    names: withDefault(Schema.Array(Text), [])
  }), { own_namespace: false, names: [] }),
  selectors: withDefault(Schema.Array(Schema.Struct({
    role: withDefault(Text, ""),
    label: withDefault(Text, ""),
    field: withDefault(Text, "")
  })), []),
  attach_metadata: withDefault(Schema.Struct({
    node: withDefault(Bool, false),
    namespace: withDefault(Bool, false),
    deployment: withDefault(Bool, false),
    job: withDefault(Bool, false),
    cronjob: withDefault(Bool, false)
  }), { node: false, namespace: false, deployment: false, job: false, cronjob: false })
}).annotate({ expected: "a kubernetes_sd_config (a mapping)" })

type Input = typeof KubernetesSdConfigInput.Type

export interface KubernetesSdConfig extends Omit<Input, "role"> {
  readonly role: Role
}

const allowedSelectors: Record<Role, ReadonlyArray<Role>> = {
  pod: ["pod", "node"],
  service: ["service"],
  endpointslice: ["pod", "service", "endpointslice"],
  endpoints: ["pod", "service", "endpoints"],
  node: ["node"],
  ingress: ["ingress"]
}

const isDefaultHttpClient = (c: HttpClientConfig): boolean =>
  c.basic_auth === undefined && c.authorization === undefined && c.oauth2 === undefined && c.bearer_token === undefined &&
  c.bearer_token_file === undefined && c.tls_config === undefined && c.follow_redirects && c.enable_http2 &&
  c.proxy_url === undefined && c.no_proxy === undefined && !c.proxy_from_environment &&
  c.proxy_connect_header === undefined && c.http_headers === undefined

/** `SDConfig.UnmarshalYAML`: the checks, in order, with Prometheus's messages. */
export const resolveKubernetesSdConfig = (c: Input, path: Path): KubernetesSdConfig | ConfigIssue => {
  if (c.role === "") return issue(path, "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)")
  if (!(roles as ReadonlyArray<string>).includes(c.role)) return issue([...path, "role"], `unknown Kubernetes SD role ${JSON.stringify(c.role)}`)
  const role = c.role as Role
  const http = validateHttpClient(c, path)
  if ("message" in http && "path" in http) return http
  const apiServer = c.api_server !== undefined && c.api_server !== ""
  if (apiServer && c.kubeconfig_file !== "") return issue(path, "cannot use 'kubeconfig_file' and 'api_server' simultaneously")
  if (c.kubeconfig_file !== "" && !isDefaultHttpClient(c)) return issue(path, "cannot use a custom HTTP client configuration together with 'kubeconfig_file'")
  if (!apiServer && !isDefaultHttpClient(c)) return issue(path, "to use custom HTTP client configuration please provide the 'api_server' URL explicitly")
  if (apiServer && c.namespaces.own_namespace) return issue(path, "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously")
  if (c.kubeconfig_file !== "" && c.namespaces.own_namespace) return issue(path, "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously")
  const seen = new Set<string>()
  for (const [i, s] of c.selectors.entries()) {
    if (seen.has(s.role)) return issue([...path, "selectors", i, "role"], `duplicated selector role: ${s.role}`)
    seen.add(s.role)
    if (!(allowedSelectors[role] as ReadonlyArray<string>).includes(s.role)) {
      return issue([...path, "selectors", i, "role"], `${role} role supports only ${allowedSelectors[role].join(", ")} selectors`)
    }
  }
  return { ...http, role }
}
