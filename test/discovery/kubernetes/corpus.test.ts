/**
 * `kubernetes_sd_configs` against the reference cluster of `test/fixtures/kube-sd/`: every job of its
 * `prometheus.yaml`, run through our role functions and `check service-discovery`, must give the targets and labels
 * Prometheus 3 gives. `expected/` holds them, derived from Prometheus 2.42's own output
 * (`expected-prometheus-2.42/`, copied from the shared test data) by the scripts next to it, which apply, one
 * documented rule at a time, what Prometheus changed since (see `test/fixtures/kube-sd/V3.md`).
 */
import { Result } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { checkServiceDiscovery } from "../../../src/check/serviceDiscovery.ts"
import { decodePrometheusFile } from "../../../src/config/load.ts"
import { roleFunctions } from "../../../src/discovery/kubernetes/roles.ts"
import { jobView, kubeSdRoot, loadClusterObjects } from "../../support/kubeCluster.ts"

const config = decodePrometheusFile(readFileSync(join(kubeSdRoot, "prometheus.yaml"), "utf8").replaceAll("__PORT__", "1"), "kube-sd/prometheus.yaml")
if (Result.isFailure(config)) throw new Error(config.failure.message)
const jobs = config.success.value.scrape_configs
const objects = loadClusterObjects()

const canonical = (rs: ReadonlyArray<unknown>) => rs.map((r) => JSON.stringify(r)).sort()

describe.each(jobs.map((j) => [j.job_name, j] as const))("kubernetes_sd: %s", (name, sc) => {
  it("gives Prometheus 3's targets and labels", () => {
    const k = sc.kubernetes_sd_configs![0]!
    const { roleObjects, lookup } = jobView(objects, k)
    const groups = roleObjects.map((o) => roleFunctions[k.role](o, lookup, k.attach_metadata))
    const ours = checkServiceDiscovery(sc, groups)
    const expected = JSON.parse(readFileSync(join(kubeSdRoot, "expected", `${name}.json`), "utf8")) as ReadonlyArray<unknown>
    expect(canonical(ours)).toEqual(canonical(expected))
  })
})
