/**
 * The bundle (`npm run build`), as the container, the Nix package and `npm start` run it: built into a directory of
 * its own, away from node_modules, it runs and prints what the sources print, Kubernetes client included.
 */
import { execFile } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { beforeAll, describe, expect, it } from "vitest"
import { main as sources, threeMechanismsConfig, webService, writeTemp } from "./support/cli.ts"
import { startFakeApiServer } from "./support/fakeApiServer.ts"

const root = join(import.meta.dirname, "..")
const outdir = mkdtempSync(join(tmpdir(), "ta-bundle-"))
const bundle = join(outdir, "main.mjs")

const run = async (main: string, args: ReadonlyArray<string>) => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], { cwd: root })
  return { stdout, stderr }
}

describe("the bundle", () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(root, "build.ts"), outdir])
  }, 60_000)

  it("runs --help and checks the example config", async () => {
    const [help, check] = await Promise.all([run(bundle, ["--help"]), run(bundle, ["check", "config", "examples/targetallocator.yaml"])])
    expect(help.stdout).toContain("--config-file")
    expect(check.stdout).toBe("SUCCESS: examples/targetallocator.yaml is a valid target allocator config with 2 scrape configs\n")
  })

  it("refuses to start on a Node.js older than it needs, and says which it needs", async () => {
    // The version Node 22.12 would report, set before the bundle loads.
    const preload = writeTemp("old-node.mjs", `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "22.12.0" } })`)
    const failed = await promisify(execFile)(process.execPath, ["--import", preload, bundle, "--help"], { cwd: root }).then(
      () => undefined,
      (e: { code: number; stderr: string; stdout: string }) => e
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stdout).toBe("")
    expect(failed?.stderr).toContain("target-allocator needs Node.js 22.19.0 or newer")
  })

  it("discovers file_sd, http_sd and kubernetes_sd targets (their clients are chunks loaded on use) as the sources do", async () => {
    const api = await startFakeApiServer({ objects: [webService] })
    const sd = createServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end(`[{"targets": ["http:1"]}]`))
    await new Promise<void>((resolve) => sd.listen(0, "127.0.0.1", resolve))
    try {
      const path = threeMechanismsConfig({
        kubeconfigPath: api.kubeconfigPath,
        targetsFile: writeTemp("targets.json", `[{"targets": ["file:9"], "labels": {"__meta_x": "<&>"}}]`),
        httpSdUrl: `http://127.0.0.1:${(sd.address() as AddressInfo).port}/sd`,
        more: "relabel_configs: [{regex: __meta_(.+), action: labelmap}]"
      })
      const args = ["check", "service-discovery", path, "j"]
      const [ours, fromSources] = await Promise.all([run(bundle, args), run(sources, args)])
      expect(ours.stdout).toContain(`"__address__": "web.apps.svc:80"`)
      expect(ours.stdout).toContain(`"__address__": "http:1"`)
      expect(ours.stdout).toBe(fromSources.stdout)
    } finally {
      sd.close()
      await api.close()
    }
  })
})
