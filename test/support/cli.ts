/** Runs the `target-allocator` command as a child process, the way users and the container run it. */
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const main = join(import.meta.dirname, "..", "..", "layers", "main.ts")

export const writeTemp = (name: string, text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), "ta-test-"))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const collect = (child: ChildProcess): { readonly out: () => string; readonly err: () => string; readonly done: Promise<Finished> } => {
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (d) => (stdout += d))
  child.stderr!.on("data", (d) => (stderr += d))
  const done = new Promise<Finished>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
  return { out: () => stdout, err: () => stderr, done }
}

export const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Finished> => {
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  return collect(child).done
}

/** Starts serving and resolves once the server logged its address. */
export const startCli = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  const io = collect(child)
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /Listening on (http:\/\/[^\s"]+)/.exec(io.out() + io.err())
      if (m) resolve(m[1]!)
    }
    child.stdout!.on("data", check)
    child.stderr!.on("data", check)
    io.done.then((f) => reject(new Error(`exited with ${f.code} before listening:\n${f.stdout}${f.stderr}`)))
  })
  return { child, url, done: io.done }
}

/** A Service for the fake API server: kubernetes_sd's service role makes the target `web.apps.svc:80` of it. */
export const webService = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "apps" },
  spec: { ports: [{ name: "http", port: 80, protocol: "TCP" }] }
}

/** A config file whose job `j` discovers with file_sd, kubernetes_sd (service role) and http_sd at once. */
export const threeMechanismsConfig = (o: {
  readonly kubeconfigPath: string
  readonly targetsFile: string
  readonly httpSdUrl: string
  /** More keys of the job, as YAML flow text. */
  readonly more?: string
}): string =>
  writeTemp("targetallocator.yaml", `
static_collectors: [c0]
kube_config_file_path: ${o.kubeconfigPath}
config:
  scrape_configs:
    - job_name: j
      file_sd_configs: [{files: ["${o.targetsFile}"]}]
      kubernetes_sd_configs: [{role: service}]
      http_sd_configs: [{url: "${o.httpSdUrl}"}]
${o.more === undefined ? "" : `      ${o.more}\n`}`)
