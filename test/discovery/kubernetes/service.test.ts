/**
 * Role `service`, against Prometheus 3.14's discovery/kubernetes/service.go (`buildService`, `serviceLabels`) and
 * its service_test.go.
 */
import { describe, expect, it } from "vitest"
import { group } from "../../../src/discovery/kubernetes/service.ts"
import type { AttachMetadata, Lookup } from "../../../src/discovery/kubernetes/types.ts"
import type { KubeObject } from "../../../src/kubernetes/objects.ts"
import * as L from "../../../src/labels/labels.ts"
import { lookupOf, none } from "./support.ts"

const service = (spec: object, metadata: object = {}): KubeObject =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "shop", ...metadata }, spec } as KubeObject)

const build = (s: KubeObject, lookup: Lookup = lookupOf(), attach: AttachMetadata = none) => {
  const g = group(s, lookup, attach)
  return { source: g.source, labels: L.toRecord(g.labels), targets: g.targets.map(L.toRecord) }
}

describe("role service", () => {
  it("addresses every port by the service's cluster DNS name, never its IP", () => {
    const g = build(service({
      type: "ClusterIP",
      clusterIP: "10.96.0.10",
      ports: [{ name: "http", port: 80, protocol: "TCP" }, { port: 9090, protocol: "TCP" }]
    }, { labels: { "app.kubernetes.io/name": "api" } }))
    expect(g.source).toBe("svc/shop/api")
    expect(g.labels).toEqual({
      __meta_kubernetes_namespace: "shop",
      __meta_kubernetes_service_name: "api",
      __meta_kubernetes_service_label_app_kubernetes_io_name: "api",
      __meta_kubernetes_service_labelpresent_app_kubernetes_io_name: "true"
    })
    expect(g.targets).toEqual([
      {
        __address__: "api.shop.svc:80",
        __meta_kubernetes_service_port_name: "http",
        __meta_kubernetes_service_port_number: "80",
        __meta_kubernetes_service_port_protocol: "TCP",
        __meta_kubernetes_service_type: "ClusterIP",
        __meta_kubernetes_service_cluster_ip: "10.96.0.10"
      },
      {
        // An unnamed port has no port name label.
        __address__: "api.shop.svc:9090",
        __meta_kubernetes_service_port_number: "9090",
        __meta_kubernetes_service_port_protocol: "TCP",
        __meta_kubernetes_service_type: "ClusterIP",
        __meta_kubernetes_service_cluster_ip: "10.96.0.10"
      }
    ])
  })

  it("reports a headless service's cluster IP as `None`", () => {
    expect(build(service({ type: "ClusterIP", clusterIP: "None", ports: [{ port: 5432 }] })).targets[0]!["__meta_kubernetes_service_cluster_ip"]).toBe("None")
  })

  it("gives an ExternalName service its external name instead of a cluster IP", () => {
    const t = build(service({ type: "ExternalName", externalName: "db.example.com", ports: [{ port: 5432, protocol: "TCP" }] })).targets[0]!
    expect(t["__meta_kubernetes_service_external_name"]).toBe("db.example.com")
    expect(t["__meta_kubernetes_service_cluster_ip"]).toBeUndefined()
  })

  it("takes a LoadBalancer's IP from spec.loadBalancerIP, not from its status (3.14; #19404 came later)", () => {
    const t = build(service({
      type: "LoadBalancer",
      clusterIP: "10.96.0.20",
      loadBalancerIP: "203.0.113.90",
      ports: [{ port: 443 }]
    })).targets[0]!
    expect(t["__meta_kubernetes_service_loadbalancer_ip"]).toBe("203.0.113.90")
    const noSpecIP = service({ type: "LoadBalancer", ports: [{ port: 443 }] })
    const withStatus = { ...noSpecIP, status: { loadBalancer: { ingress: [{ ip: "203.0.113.91" }] } } } as KubeObject
    expect(build(withStatus).targets[0]!["__meta_kubernetes_service_loadbalancer_ip"]).toBeUndefined()
  })

  it("has no loadbalancer label on other types", () => {
    expect(build(service({ type: "NodePort", loadBalancerIP: "1.2.3.4", ports: [{ port: 80 }] })).targets[0]!["__meta_kubernetes_service_loadbalancer_ip"]).toBeUndefined()
  })

  it("keeps the group labels of a service without ports, which has no targets", () => {
    const g = build(service({ type: "ExternalName", externalName: "x.example.com" }))
    expect(g.targets).toEqual([])
    expect(g.labels["__meta_kubernetes_service_name"]).toBe("api")
  })

  it("uses the DNS name even for an IPv6-only service, so nothing needs brackets", () => {
    expect(build(service({ clusterIP: "fd00::10", ports: [{ port: 8080 }] })).targets[0]!["__address__"]).toBe("api.shop.svc:8080")
  })

  it("attach_metadata.namespace adds the namespace's labels", () => {
    const ns: KubeObject = { kind: "Namespace", metadata: { name: "shop", labels: { team: "web" } } }
    expect(build(service({ ports: [{ port: 80 }] }), lookupOf(ns), { ...none, namespace: true }).labels["__meta_kubernetes_namespace_label_team"]).toBe("web")
    expect(build(service({ ports: [{ port: 80 }] }), lookupOf(ns)).labels["__meta_kubernetes_namespace_label_team"]).toBeUndefined()
  })
})
