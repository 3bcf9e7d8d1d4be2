import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { consistentHashing } from "../../src/allocation/consistentHashing.ts"
import { leastWeighted } from "../../src/allocation/leastWeighted.ts"
import { perNode } from "../../src/allocation/perNode.ts"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import * as P from "../../src/pipeline/pipeline.ts"
import { httpSdOf } from "../../src/serving/snapshot.ts"
import { loadConfig } from "../support/config.ts"
import { group, groupOf } from "../support/targets.ts"

const text = (b: Uint8Array) => new TextDecoder().decode(b)
const configs = (): ReadonlyArray<ScrapeConfig> => loadConfig(`
static_collectors: [c0]
config:
  scrape_configs: [{job_name: a}, {job_name: b/c}]
`).config.scrape_configs

const collectors = [{ name: "c0", node: "" }, { name: "c1", node: "" }]

describe("the pipeline", () => {
  it("becomes ready once a configuration is applied and membership is known", () => {
    const s = P.make(consistentHashing, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    expect(P.publish(s).snapshot.ready).toBe(false)
    P.apply(s, { _tag: "CollectorsChanged", collectors: [] })
    expect(P.publish(s).snapshot.ready).toBe(true)
  })

  it("renders /scrape_configs once per configuration change", () => {
    const s = P.make(consistentHashing, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    const first = P.publish(s).snapshot
    expect(Object.keys(JSON.parse(text(first.scrapeConfigs!.redacted.identity)))).toEqual(["a", "b/c"])
    P.apply(s, { _tag: "CollectorsChanged", collectors })
    expect(P.publish(s).snapshot.scrapeConfigs).toBe(first.scrapeConfigs)
  })

  it("serves every target of a job exactly once across collectors", () => {
    const s = P.make(consistentHashing, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    P.apply(s, { _tag: "CollectorsChanged", collectors })
    const addresses = Array.from({ length: 50 }, (_, i) => `10.0.0.${i}:80`)
    P.apply(s, { _tag: "TargetGroups", job: "a", provider: "static", groups: [group("0", addresses)] })
    const snap = P.publish(s).snapshot
    const served = collectors.flatMap((c) => JSON.parse(text(httpSdOf(snap, "a", c.name))).map((g: { targets: Array<string> }) => g.targets[0]))
    expect(served.sort()).toEqual([...addresses].sort())
    expect(JSON.parse(text(snap.jobsBody))).toEqual({ a: { _link: "/jobs/a/targets" } })
    expect(text(httpSdOf(snap, "a", "nobody"))).toBe("[]")
    expect(text(httpSdOf(snap, "unknown", "c0"))).toBe("[]")
  })

  it("serves a target's new labels when only its labels change, from the same collector", () => {
    const s = P.make(consistentHashing, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    P.apply(s, { _tag: "CollectorsChanged", collectors })
    const pods = (version: string) => groupOf("0", [{ __address__: "10.0.0.1:80", __meta_version: version }, { __address__: "10.0.0.2:80", __meta_version: version }])
    P.apply(s, { _tag: "TargetGroups", job: "a", provider: "sd", groups: [pods("1")] })
    const before = P.publish(s).snapshot
    P.apply(s, { _tag: "TargetGroups", job: "a", provider: "sd", groups: [pods("2")] })
    const { snapshot: after, changes } = P.publish(s)
    expect(changes.moved).toBe(0)
    const served = (snap: typeof before) =>
      collectors.map((c) => JSON.parse(text(httpSdOf(snap, "a", c.name))).map((g: { labels: Record<string, string> }) => g.labels.__meta_version))
    expect(served(after)).toEqual(served(before).map((versions: Array<string>) => versions.map(() => "2")))
    expect(served(before).flat()).toEqual(["1", "1"])
  })

  it("re-renders only the (job, collector) pairs a change touched", () => {
    // least-weighted is sticky: a target added to one job moves no other (bounded loads may, rarely).
    const s = P.make(leastWeighted, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    P.apply(s, { _tag: "CollectorsChanged", collectors })
    P.apply(s, { _tag: "TargetGroups", job: "a", provider: "static", groups: [group("0", ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"])] })
    P.apply(s, { _tag: "TargetGroups", job: "b/c", provider: "static", groups: [group("0", ["10.9.9.9:80"])] })
    const before = P.publish(s).snapshot
    P.apply(s, { _tag: "TargetGroups", job: "b/c", provider: "static", groups: [group("0", ["10.9.9.9:80", "10.9.9.8:80"])] })
    const after = P.publish(s).snapshot
    expect(after.jobs.get("a")).toBe(before.jobs.get("a"))
    expect(after.jobs.get("b/c")).not.toBe(before.jobs.get("b/c"))
    expect(after.jobsBody).toBe(before.jobsBody)
  })

  it("drops the targets of a job removed from the configuration", () => {
    const s = P.make(consistentHashing, "relabel-config")
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs() })
    P.apply(s, { _tag: "CollectorsChanged", collectors })
    P.apply(s, { _tag: "TargetGroups", job: "b/c", provider: "static", groups: [group("0", ["10.9.9.9:80"])] })
    expect([...P.publish(s).snapshot.jobs.keys()]).toEqual(["b/c"])
    P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configs().filter((c) => c.job_name === "a") })
    const snap = P.publish(s).snapshot
    expect(snap.jobs.size).toBe(0)
    expect(text(snap.jobsBody)).toBe("{}")
  })

  describe.each([
    { strategy: consistentHashing, name: "consistent-hashing", pure: true },
    { strategy: perNode(consistentHashing), name: "per-node, falling back to consistent-hashing", pure: true },
    { strategy: perNode(undefined), name: "per-node without a fallback", pure: true },
    { strategy: leastWeighted, name: "least-weighted", pure: false },
    { strategy: perNode(leastWeighted), name: "per-node, falling back to least-weighted", pure: false }
  ])("with $name", ({ strategy, pure }) => {
    // Few addresses and several sources per job: the same identity comes from several sources (the smallest source's
    // copy is served), labels (and nodes) change under a kept identity, and targets move between collectors.
    // Configurations filter a job, rewrite its identities, or drop a job (whose groups go with it, as discovery stops).
    const pool = [["c0", "n1"], ["c1", "n1"], ["c2", "n2"], ["c3", ""], ["c4", "n3"]].map(([name, node]) => ({ name: name!, node: node! }))
    const variants = {
      plain: `[{job_name: a}, {job_name: b/c}]`,
      filtered: `[{job_name: a, relabel_configs: [{source_labels: [__meta_v], regex: "1", action: keep}]}, {job_name: b/c}]`,
      rewritten: `[{job_name: a, relabel_configs: [{source_labels: [__address__], regex: "(.*):80", target_label: __address__, replacement: "$1:9100"}]}, {job_name: b/c}]`,
      oneJob: `[{job_name: a}]`
    }
    const configOf = (variant: keyof typeof variants) =>
      loadConfig(`static_collectors: [c0]\nconfig:\n  scrape_configs: ${variants[variant]}\n`).config.scrape_configs
    const update = fc.record({
      job: fc.constantFrom("a", "b/c"),
      provider: fc.constantFrom("sd", "sd2"),
      source: fc.constantFrom("0", "1"),
      targets: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom("1", "2"), fc.constantFrom("", "n1", "n2")), { maxLength: 5 })
    })
    const step = fc.oneof(
      update.map((u) => ({ ...u, kind: "groups" as const })),
      fc.record({ job: fc.constantFrom("a", "b/c"), provider: fc.constantFrom("sd", "sd2") }).map((u) => ({ ...u, kind: "stop" as const })),
      fc.constantFrom(...(Object.keys(variants) as Array<keyof typeof variants>)).map((variant) => ({ kind: "config" as const, variant })),
      fc.subarray(pool).map((collectors) => ({ kind: "collectors" as const, collectors })),
      fc.constant({ kind: "publish" as const })
    )
    const groupOfUpdate = (u: { readonly source: string; readonly targets: ReadonlyArray<readonly [number, string, string]> }) =>
      groupOf(u.source, u.targets.map(([a, v, node]) => ({ __address__: `10.0.0.${a}:80`, __meta_v: v, __meta_kubernetes_pod_node_name: node })))
    type Snap = ReturnType<typeof P.publish>["snapshot"]
    const byCollector = (snap: Snap) =>
      ["a", "b/c"].flatMap((job) => pool.map((c) => `${job} ${c.name} ${text(httpSdOf(snap, job, c.name))}`))
    /** Every group served for the job, whichever collector serves it. */
    const all = (snap: Snap, job: string) =>
      pool.flatMap((c) => JSON.parse(text(httpSdOf(snap, job, c.name))).map((g: unknown) => JSON.stringify(g))).sort()

    it("serves, after any sequence of discovery updates, provider stops, configuration and collector changes, what a fresh start on the end state serves", () => {
      fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const s = P.make(strategy, "relabel-config")
        let variant: keyof typeof variants = "plain"
        P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configOf(variant) })
        let fleet: ReadonlyArray<{ readonly name: string; readonly node: string }> = pool.slice(0, 2)
        P.apply(s, { _tag: "CollectorsChanged", collectors: fleet })
        // The latest group of each (job, provider, source), as discovery would hold them.
        const latest = new Map<string, { readonly job: string; readonly provider: string; readonly group: ReturnType<typeof groupOfUpdate> }>()
        for (const st of steps) {
          if (st.kind === "groups") {
            if (st.job === "b/c" && variant === "oneJob") continue
            const g = groupOfUpdate(st)
            latest.set(`${st.job} ${st.provider} ${st.source}`, { job: st.job, provider: st.provider, group: g })
            P.apply(s, { _tag: "TargetGroups", job: st.job, provider: st.provider, groups: [g] })
          } else if (st.kind === "stop") {
            for (const [key, l] of latest) if (l.job === st.job && l.provider === st.provider) latest.delete(key)
            P.apply(s, { _tag: "ProviderStopped", job: st.job, provider: st.provider })
          } else if (st.kind === "config") {
            variant = st.variant
            if (variant === "oneJob") for (const [key, l] of latest) if (l.job === "b/c") latest.delete(key)
            P.apply(s, { _tag: "ConfigApplied", scrapeConfigs: configOf(variant) })
          } else if (st.kind === "collectors") {
            fleet = st.collectors
            P.apply(s, { _tag: "CollectorsChanged", collectors: fleet })
          } else P.publish(s)
        }
        const fresh = P.make(strategy, "relabel-config")
        P.apply(fresh, { _tag: "ConfigApplied", scrapeConfigs: configOf(variant) })
        P.apply(fresh, { _tag: "CollectorsChanged", collectors: fleet })
        for (const l of [...latest.values()].reverse()) P.apply(fresh, { _tag: "TargetGroups", job: l.job, provider: l.provider, groups: [l.group] })
        const [now, then] = [P.publish(s).snapshot, P.publish(fresh).snapshot]
        expect(s.alloc.unassigned).toBe(fresh.alloc.unassigned)
        const counts = (snap: Snap) => [...snap.jobs].map(([job, view]) => `${job} ${view.targets}`).sort()
        expect(counts(now)).toEqual(counts(then))
        if (pure) expect(byCollector(now)).toEqual(byCollector(then))
        else {
          // The same targets and labels, each served once, by live collectors only; who serves which depends on the
          // order of events.
          for (const job of ["a", "b/c"]) expect(all(now, job)).toEqual(all(then, job))
          for (const c of pool) if (!fleet.includes(c)) for (const job of ["a", "b/c"]) expect(text(httpSdOf(now, job, c.name))).toBe("[]")
        }
      }), { numRuns: 300 })
    })
  })
})
