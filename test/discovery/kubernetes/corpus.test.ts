/**
 * `kubernetes_sd_configs` against the reference cluster of `test/fixtures/kube-sd/`: every job of its
 * `prometheus.yaml`, run through our role functions and `check service-discovery`, must give the targets and labels
 * Prometheus 3 gives, both from the objects in memory and through the real client against the fake API server. `expected/` holds them, derived from Prometheus 2.42's own output
 * (`expected-prometheus-2.42/`, copied from the shared test data) by the scripts next to it, which apply, one
 * documented rule at a time, what Prometheus changed since (see `test/fixtures/kube-sd/V3.md`).
 */
import { Duration, Effect } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { initialSync } from "../../../layers/discovery/initialSync.ts"
import { providersLive } from "../../../layers/discovery/live.ts"
import { checkServiceDiscovery } from "../../../src/check/serviceDiscovery.ts"
import { roleFunctions } from "../../../src/discovery/kubernetes/roles.ts"
import { prometheusJobs } from "../../support/config.ts"
import { startFakeApiServer, type FakeApiServer } from "../../support/fakeApiServer.ts"
import { jobView, kubeSdRoot, loadClusterObjects } from "../../support/kubeCluster.ts"

const configText = readFileSync(join(kubeSdRoot, "prometheus.yaml"), "utf8")
const jobsAt = (port: number) => prometheusJobs(configText.replaceAll("__PORT__", String(port)), "kube-sd/prometheus.yaml")
const jobs = jobsAt(1)
const objects = loadClusterObjects()

const canonical = (rs: ReadonlyArray<unknown>) => rs.map((r) => JSON.stringify(r)).sort()
const expectedOf = (job: string) => JSON.parse(readFileSync(join(kubeSdRoot, "expected", `${job}.json`), "utf8")) as ReadonlyArray<unknown>

describe.each(jobs.map((j) => [j.job_name, j] as const))("kubernetes_sd: %s", (name, sc) => {
  it("gives Prometheus 3's targets and labels", () => {
    const k = sc.kubernetes_sd_configs![0]!
    const { roleObjects, lookup } = jobView(objects, k)
    const groups = roleObjects.map((o) => roleFunctions[k.role](o, lookup, k.attach_metadata))
    expect(canonical(checkServiceDiscovery(sc, groups))).toEqual(canonical(expectedOf(name)))
  })
})

describe("kubernetes_sd through the API server", () => {
  let api: FakeApiServer
  beforeAll(async () => {
    api = await startFakeApiServer({ objects })
  })
  afterAll(() => api.close())

  it.each(jobs.map((j) => [j.job_name]))("%s: the initial sync gives Prometheus 3's targets and labels", async (name) => {
    const sc = jobsAt(Number(new URL(api.url).port)).find((j) => j.job_name === name)!
    const { groups, problems } = await Effect.runPromise(
      initialSync(sc, Duration.seconds(10)).pipe(Effect.provide(providersLive(api.kubeconfigPath, undefined)))
    )
    expect(problems).toEqual([])
    expect(canonical(checkServiceDiscovery(sc, groups))).toEqual(canonical(expectedOf(name)))
  })
})
