import { describe, expect, it } from "vitest"
import * as L from "../../src/labels/labels.ts"
import fc from "fast-check"
import { process } from "../../src/relabel/relabel.ts"
import { DROPPED, discoveredLabels, filterFor, seedsOf } from "../../src/targets/build.ts"
import * as T from "../../src/targets/target.ts"
import { loadConfig } from "../support/config.ts"

const job = (yaml: string, filter = "relabel-config") => {
  const sc = loadConfig(`
static_collectors: [c0]
config:
  scrape_configs:
    - ${yaml}
`).config.scrape_configs[0]!
  const { filter: kept } = filterFor(sc, filter)
  /** The target as its job would serve it, with its identity; `undefined` when dropped. */
  return (target: Record<string, string>, group: Record<string, string> = {}) => {
    const id = kept(L.fromRecord(group), L.fromRecord(target))
    return id === DROPPED ? undefined : Object.assign(T.make("src", L.fromRecord(group), L.fromRecord(target)), { id })
  }
}

describe("relabel filtering", () => {
  it("drops what the job's rules drop, and serves the pre-relabel labels of what they keep", () => {
    const build = job(`{job_name: j, relabel_configs: [{source_labels: [__meta_ns], regex: kube-.*, action: drop}, {source_labels: [__meta_ns], target_label: ns}]}`)
    expect(build({ __address__: "a:1", __meta_ns: "kube-system" })).toBeUndefined()
    const kept = build({ __address__: "b:1", __meta_ns: "default" })!
    expect(L.toRecord(T.labelsOf(kept))).toEqual({ __address__: "b:1", __meta_ns: "default" })
    expect(kept.address).toBe("b:1")
  })

  it("seeds the labels Prometheus adds before relabeling, so rules may read them", () => {
    const build = job(`{job_name: j, scheme: https, metrics_path: /m, params: {module: [m1, m2]}, scrape_interval: 30s, relabel_configs: [
      {source_labels: [job, __scheme__, __metrics_path__, __scrape_interval__, __scrape_timeout__, __param_module], regex: "j;https;/m;30s;10s;m1", action: keep}]}`)
    expect(build({ __address__: "a:1" })).toBeDefined()
  })

  it("does not override a seed the target already has", () => {
    const build = job(`{job_name: j, relabel_configs: [{source_labels: [__metrics_path__], regex: /custom, action: keep}]}`)
    expect(build({ __address__: "a:1", __metrics_path__: "/custom" })).toBeDefined()
    expect(build({ __address__: "a:1" })).toBeUndefined()
  })

  it("lets prometheus-operator's $(SHARD) keep rule pass", () => {
    const build = job(`{job_name: j, relabel_configs: [
      {source_labels: [__address__], modulus: 3, target_label: __tmp_hash, action: hashmod},
      {source_labels: [__tmp_hash, __tmp_disable_sharding], regex: "$(SHARD);|.+;.+", action: keep}]}`)
    expect(build({ __address__: "a:1" })).toBeDefined()
  })

  it("gives targets that relabel to the same labels the same identity, and keeps apart those that do not", () => {
    const build = job(`{job_name: j, relabel_configs: [{source_labels: [__address__], regex: "(.*):.*", target_label: __address__, replacement: "$1:9100"}]}`)
    const a = build({ __address__: "h:1", __meta_x: "1" })!
    const b = build({ __address__: "h:2", __meta_x: "2" })!
    expect(a.id).toBe(b.id) // __meta_* does not count, and both rewrite to h:9100
    const c = build({ __address__: "h:2", other: "x" })!
    expect(c.id).not.toBe(a.id)
  })

  it("tells a target with its seed's value from one with the seed removed, and from one with another value", () => {
    // The scheme is left out of identities when it is the job's (http): the only labels all targets share.
    const build = job(`{job_name: j, relabel_configs: [{source_labels: [__meta_x], regex: drop, target_label: __scheme__, replacement: ""}]}`)
    const seeded = build({ __address__: "h:1", __meta_x: "keep" })!
    const removed = build({ __address__: "h:1", __meta_x: "drop" })!
    const explicit = build({ __address__: "h:1", __scheme__: "http" })!
    const other = build({ __address__: "h:1", __scheme__: "https" })!
    expect(removed.id).not.toBe(seeded.id)
    expect(explicit.id).toBe(seeded.id)
    expect(new Set([seeded.id, removed.id, other.id]).size).toBe(3)
  })

  it("keeps the same address in two jobs as two targets", () => {
    const a = job(`{job_name: a}`)({ __address__: "h:1" })!
    const b = job(`{job_name: b}`)({ __address__: "h:1" })!
    expect(a.id).not.toBe(b.id)
  })

  it("serves everything unfiltered with any other filter_strategy", () => {
    const build = job(`{job_name: j, relabel_configs: [{regex: ".*", source_labels: [__address__], action: drop}]}`, "")
    expect(build({ __address__: "a:1" })).toBeDefined()
  })

  it("changes the filter's key exactly when the job's filtering inputs change", () => {
    const key = (yaml: string) => filterFor(loadConfig(`
static_collectors: [c0]
config: {scrape_configs: [${yaml}]}
`).config.scrape_configs[0]!, "relabel-config").key
    const base = key(`{job_name: j, relabel_configs: [{action: drop, source_labels: [a], regex: x}]}`)
    expect(key(`{job_name: j, relabel_configs: [{action: drop, source_labels: [a], regex: x}]}`)).toBe(base)
    expect(key(`{job_name: j, relabel_configs: [{action: drop, source_labels: [a], regex: y}]}`)).not.toBe(base)
    expect(key(`{job_name: j, metrics_path: /x, relabel_configs: [{action: drop, source_labels: [a], regex: x}]}`)).not.toBe(base)
    expect(key(`{job_name: j, sample_limit: 10, relabel_configs: [{action: drop, source_labels: [a], regex: x}]}`)).toBe(base)
  })
})

describe("the leading keep/drop rules, run before a label builder exists", () => {
  // Filtering rules that read discovered labels, seeds, the sharding label and each other, then rules that write.
  const pool = [
    `{source_labels: [__meta_app], regex: web, action: keep}`,
    `{source_labels: [__meta_app, __meta_port], regex: "web;metrics", action: keep}`,
    `{source_labels: [__meta_port], regex: "", action: drop}`,
    `{source_labels: [job], regex: j, action: keep}`,
    `{source_labels: [__scheme__], regex: https, action: drop}`,
    `{source_labels: [__meta_shard], regex: "$(SHARD)", action: keep}`,
    `{source_labels: [__tmp_disable_sharding], regex: "true", action: keep}`,
    `{source_labels: [__meta_app], target_label: __meta_team, action: keepequal}`,
    `{source_labels: [__meta_app], target_label: __meta_team, action: dropequal}`,
    `{source_labels: [__meta_app], target_label: app}`,
    `{source_labels: [app], regex: web, action: drop}`
  ]
  const value = ["", "web", "db", "metrics", "j"]

  it("decide exactly as the full relabeling does", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 6 }),
      fc.record({ __meta_app: fc.constantFrom(...value), __meta_port: fc.constantFrom(...value), __meta_team: fc.constantFrom(...value), job: fc.constantFrom(...value) }),
      (picks, target) => {
        const yaml = `{job_name: j, relabel_configs: [${picks.map((i) => pool[i]).join(", ")}]}`
        const sc = loadConfig(`static_collectors: [c0]\nconfig:\n  scrape_configs:\n    - ${yaml}\n`).config.scrape_configs[0]!
        const labels = L.fromRecord({ __address__: "a:1", ...target })
        const lb = discoveredLabels(labels, seedsOf(sc))
        lb.set("__tmp_disable_sharding", "true")
        const expected = process(lb, sc.relabel_rules)
        expect(filterFor(sc, "relabel-config").filter(L.empty, labels) !== DROPPED).toBe(expected)
      }
    ), { numRuns: 300 })
  })

  it("give the identity the full relabeling gives when no rule rewrites, from labels split across group and target", () => {
    const names = fc.constantFrom("__address__", "__meta_app", "__meta_port", "job", "__scheme__", "__metrics_path__", "a", "zz")
    const labels = fc.dictionary(names, fc.constantFrom("web", "db", "1", "j", "https", "/metrics", ""))
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }),
      labels,
      labels,
      (picks, group, target) => {
        const filters = picks.map((i) => pool[i]).join(", ")
        // A rule that matches nothing, after the filters, makes the filter take the general path.
        const general = job(`{job_name: j, relabel_configs: [${filters}${filters === "" ? "" : ", "}{regex: ^never$, action: labeldrop}]}`)
        const filterOnly = job(`{job_name: j, relabel_configs: [${filters}]}`)
        const fast = filterOnly(target, group)
        const full = general(target, group)
        expect(fast?.id).toBe(full?.id)
        expect(fast?.address).toBe(full?.address)
      }
    ), { numRuns: 300 })
  })
})
