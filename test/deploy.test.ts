/** The manifests in deploy/ parse, agree with each other, and carry a config the allocator accepts. */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseAllDocuments } from "yaml"
import { loadConfig } from "./support/config.ts"

const dir = join(import.meta.dirname, "..", "deploy")
const docs = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as Record<string, any>))
const byKind = (kind: string) => docs.filter((d) => d["kind"] === kind)

describe("deploy/", () => {
  it("has a sample config the allocator starts with", () => {
    const config = byKind("ConfigMap")[0]!["data"]["targetallocator.yaml"] as string
    const c = loadConfig(config, { collector_namespace: "observability" })
    expect(c.collector_namespace).toBe("observability")
    expect(c.static_collectors).toBeUndefined()
  })

  it("probes /livez and /readyz on the http port, runs non-root on a read-only root filesystem, with limits", () => {
    const pod = byKind("Deployment")[0]!["spec"]["template"]["spec"]
    const container = pod["containers"][0]
    expect(container["readinessProbe"]["httpGet"]).toEqual({ path: "/readyz", port: "http" })
    expect(container["livenessProbe"]["httpGet"]).toEqual({ path: "/livez", port: "http" })
    expect(container["ports"]).toEqual([{ name: "http", containerPort: 8080 }])
    expect(pod["securityContext"]["runAsNonRoot"]).toBe(true)
    expect(container["securityContext"]["readOnlyRootFilesystem"]).toBe(true)
    expect(container["resources"]["limits"]["memory"]).toBeDefined()
    expect(pod["serviceAccountName"]).toBe(byKind("ServiceAccount")[0]!["metadata"]["name"])
  })

  it("grants only list and watch on pods, and maps the Service's port 80 to http", () => {
    expect(byKind("Role")[0]!["rules"]).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] }])
    expect(byKind("Service")[0]!["spec"]["ports"]).toEqual([{ name: "targetallocation", port: 80, targetPort: "http" }])
  })
})
