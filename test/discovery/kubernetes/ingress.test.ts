/**
 * Role `ingress`, against Prometheus 3.14's discovery/kubernetes/ingress.go (`buildIngress`, `rulePaths`,
 * `matchesHostnamePattern`) and its ingress_test.go.
 */
import { describe, expect, it } from "vitest"
import { group, matchesHostnamePattern } from "../../../src/discovery/kubernetes/ingress.ts"
import type { AttachMetadata, Lookup } from "../../../src/discovery/kubernetes/types.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import * as L from "../../../src/labels/labels.ts"
import { lookupOf, none } from "./support.ts"

const ingress = (spec: object, metadata: object = {}): KubeObject =>
  ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop", ...metadata }, spec } as KubeObject)
const rule = (host: string | undefined, ...paths: ReadonlyArray<string | undefined>) => ({
  ...(host === undefined ? {} : { host }),
  http: { paths: paths.map((p) => (p === undefined ? {} : { path: p })) }
})

const build = (i: KubeObject, lookup: Lookup = lookupOf(), attach: AttachMetadata = none) => {
  const g = group(i, lookup, attach)
  return { source: g.source, labels: L.toRecord(g.labels), targets: g.targets.map(L.toRecord) }
}
const schemes = (i: KubeObject) => build(i).targets.map((t) => `${t["__meta_kubernetes_ingress_host"]} ${t["__meta_kubernetes_ingress_scheme"]}`)

describe("role ingress", () => {
  it("gives one target per rule and path, addressed by the host without a port", () => {
    const g = build(ingress({ ingressClassName: "nginx", rules: [rule("example.com", "/", "/foo")] }, { labels: { "test/label": "v" } }))
    expect(g.source).toBe("ingress/shop/web")
    expect(g.labels).toEqual({
      __meta_kubernetes_namespace: "shop",
      __meta_kubernetes_ingress_name: "web",
      __meta_kubernetes_ingress_class_name: "nginx",
      __meta_kubernetes_ingress_label_test_label: "v",
      __meta_kubernetes_ingress_labelpresent_test_label: "true"
    })
    expect(g.targets).toEqual(["/", "/foo"].map((path) => ({
      __address__: "example.com",
      __meta_kubernetes_ingress_host: "example.com",
      __meta_kubernetes_ingress_path: path,
      __meta_kubernetes_ingress_scheme: "http"
    })))
  })

  it("reports `/` for an empty path and for a rule without http, and nothing for http without paths", () => {
    const g = build(ingress({ rules: [rule("a.example.com", undefined, ""), { host: "b.example.com" }, { host: "c.example.com", http: {} }] }))
    expect(g.targets.map((t) => `${t["__address__"]}${t["__meta_kubernetes_ingress_path"]}`)).toEqual(["a.example.com/", "a.example.com/", "b.example.com/"])
  })

  it("leaves out the class label when the ingress names no class", () => {
    expect(build(ingress({ rules: [rule("a.example.com", "/")] })).labels["__meta_kubernetes_ingress_class_name"]).toBeUndefined()
  })

  it("gives a rule without host targets with no address (promtool's `no address`), scheme and path still set", () => {
    expect(build(ingress({ tls: [{ secretName: "s" }], rules: [rule(undefined, "/probe")] })).targets).toEqual([
      { __meta_kubernetes_ingress_path: "/probe", __meta_kubernetes_ingress_scheme: "http" }
    ])
  })

  it("gives an ingress with only a default backend no targets", () => {
    expect(build(ingress({ defaultBackend: { service: { name: "web", port: { number: 80 } } } })).targets).toEqual([])
  })

  describe("scheme from TLS hosts", () => {
    const rules = [rule("example.com", "/"), rule("test.example.com", "/"), rule("a.test.example.com", "/")]

    it("is https for a host listed in any TLS entry", () => {
      expect(schemes(ingress({ tls: [{ hosts: ["nope.example.org"] }, { hosts: ["example.com"] }], rules })))
        .toEqual(["example.com https", "test.example.com http", "a.test.example.com http"])
    })

    it("lets a wildcard cover exactly one DNS label", () => {
      expect(schemes(ingress({ tls: [{ hosts: ["*.example.com"] }], rules })))
        .toEqual(["example.com http", "test.example.com https", "a.test.example.com http"])
    })

    it("is http everywhere for TLS without hosts", () => {
      expect(schemes(ingress({ tls: [{ secretName: "default-cert" }], rules }))).toEqual(["example.com http", "test.example.com http", "a.test.example.com http"])
    })
  })

  it("matchesHostnamePattern: a wildcard only in the first label, and a bare `*` covering any one-label host", () => {
    expect(matchesHostnamePattern("*.example.com", "grafana.example.com")).toBe(true)
    expect(matchesHostnamePattern("*.example.com", "eu.grafana.example.com")).toBe(false)
    expect(matchesHostnamePattern("*.example.com", "example.com")).toBe(false)
    expect(matchesHostnamePattern("grafana.*.com", "grafana.example.com")).toBe(false)
    expect(matchesHostnamePattern("*", "localhost")).toBe(true)
    expect(matchesHostnamePattern("*", "")).toBe(true)
    expect(matchesHostnamePattern("Example.com", "example.com")).toBe(false)
  })

  it("attach_metadata.namespace adds the namespace's labels and annotations", () => {
    const ns: KubeObject = { kind: "Namespace", metadata: { name: "shop", annotations: { "example.com/owner": "web" } } }
    expect(build(ingress({ rules: [rule("a.example.com", "/")] }), lookupOf(ns), { ...none, namespace: true }).labels)
      .toMatchObject({ __meta_kubernetes_namespace_annotation_example_com_owner: "web", __meta_kubernetes_namespace_annotationpresent_example_com_owner: "true" })
  })
})
