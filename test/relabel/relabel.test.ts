import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { process, type LabelBuilder } from "../../src/relabel/relabel.ts"
import { configErrors } from "../support/config.ts"
import { rules } from "../support/relabel.ts"

const run = (labels: Record<string, string>, ...yaml: ReadonlyArray<string>) => {
  const lb: LabelBuilder = new Map(Object.entries(labels))
  const kept = process(lb, rules(...yaml))
  return kept ? Object.fromEntries([...lb].sort(([a], [b]) => (a < b ? -1 : 1))) : undefined
}

describe("relabel actions", () => {
  it("replace: defaults copy the joined sources; no match changes nothing; an empty result deletes", () => {
    expect(run({ a: "1", b: "2" }, `{source_labels: [a, b], target_label: c}`)).toEqual({ a: "1", b: "2", c: "1;2" })
    expect(run({ a: "x" }, `{source_labels: [a], regex: "y", target_label: c, replacement: z}`)).toEqual({ a: "x" })
    expect(run({ a: "x", c: "old" }, `{source_labels: [missing], target_label: c, replacement: ""}`)).toEqual({ a: "x" })
    expect(run({ a: "host:80" }, `{source_labels: [a], regex: "(.*):(\\\\d+)", target_label: "port_$2", replacement: "$1"}`))
      .toEqual({ a: "host:80", port_80: "host" })
  })

  it("keep and drop are fully anchored", () => {
    expect(run({ a: "foobar" }, `{source_labels: [a], regex: foo, action: keep}`)).toBeUndefined()
    expect(run({ a: "foo" }, `{source_labels: [a], regex: foo, action: keep}`)).toEqual({ a: "foo" })
    expect(run({ a: "foobar" }, `{source_labels: [a], regex: foo, action: drop}`)).toEqual({ a: "foobar" })
  })

  it("keepequal and dropequal compare the joined sources with the target label", () => {
    expect(run({ a: "1", b: "1" }, `{source_labels: [a], target_label: b, action: keepequal}`)).toEqual({ a: "1", b: "1" })
    expect(run({ a: "1", b: "2" }, `{source_labels: [a], target_label: b, action: keepequal}`)).toBeUndefined()
    expect(run({ a: "1", b: "1" }, `{source_labels: [a], target_label: b, action: dropequal}`)).toBeUndefined()
  })

  it("hashmod, lowercase, uppercase set the target label", () => {
    expect(run({ c: "baz" }, `{source_labels: [c], modulus: 1000, target_label: d, action: hashmod}`)).toEqual({ c: "baz", d: "976" })
    expect(run({ a: "Straße" }, `{source_labels: [a], target_label: u, action: uppercase}`)).toEqual({ a: "Straße", u: "STRAßE" })
    expect(run({ a: "ΟΔΟΣ" }, `{source_labels: [a], target_label: l, action: lowercase}`)).toEqual({ a: "ΟΔΟΣ", l: "οδοσ" })
  })

  it("labelmap copies matching names; labeldrop and labelkeep remove by name", () => {
    expect(run({ __meta_pod_label_app: "web", x: "1" }, `{regex: "__meta_pod_label_(.+)", action: labelmap}`))
      .toEqual({ __meta_pod_label_app: "web", app: "web", x: "1" })
    expect(run({ a: "1", b: "2", bb: "3" }, `{regex: "b.*", action: labeldrop}`)).toEqual({ a: "1" })
    expect(run({ a: "1", b: "2", bb: "3" }, `{regex: "b.*", action: labelkeep}`)).toEqual({ b: "2", bb: "3" })
  })

  it("lets later rules read labels set by earlier ones (__tmp_ included)", () => {
    expect(run({ a: "x" },
      `{source_labels: [a], target_label: __tmp_a}`,
      `{source_labels: [__tmp_a], target_label: b, replacement: "got-$1"}`
    )).toEqual({ a: "x", __tmp_a: "x", b: "got-x" })
  })
})

describe("relabel config validation, in Prometheus's words", () => {
  const refused = (rule: string) => configErrors(`
static_collectors: [c0]
config:
  scrape_configs: [{job_name: j, relabel_configs: [${rule}]}]
`)
  it.each([
    [`{action: hashmod, target_label: t}`, "relabel configuration for hashmod requires non-zero modulus"],
    [`{action: replace}`, "relabel configuration for replace action requires 'target_label' value"],
    [`{action: keepequal, target_label: t, regex: "(.*)"}`, "keepequal action requires only 'source_labels' and `target_label`, and no other fields"],
    [`{action: labeldrop, source_labels: [a]}`, "labeldrop action requires only 'regex', and no other fields"],
    [`{action: lowercase, target_label: t, replacement: x}`, "'replacement' can not be set for lowercase action"],
    [`{action: replace, target_label: "bad\\udc00"}`, `is invalid 'target_label' for replace action`]
  ])("refuses %s", (rule, message) => {
    const [error] = refused(rule)
    expect(error).toContain(message)
  })

  it("refuses a legacy-invalid target under the legacy scheme only", () => {
    expect(configErrors(`
static_collectors: [c0]
config:
  scrape_configs: [{job_name: j, relabel_configs: [{target_label: "dotted.name"}]}]
`)).toEqual([])
    expect(configErrors(`
static_collectors: [c0]
config:
  scrape_configs: [{job_name: j, metric_name_validation_scheme: legacy, metric_name_escaping_scheme: underscores, relabel_configs: [{target_label: "dotted.name"}]}]
`)).toEqual([`config.scrape_configs[0].relabel_configs[0] (job "j"): "dotted.name" is invalid 'target_label' for replace action`])
  })
})

describe("relabel properties", () => {
  const labelSets = fc.dictionary(fc.constantFrom("a", "b", "__meta_x", "__address__", "job", "c_1"), fc.string({ minLength: 1, maxLength: 5 }))
  it("labelkeep is idempotent", () => {
    fc.assert(fc.property(labelSets, (labels) => {
      const once = run(labels, `{regex: "[a-c].*", action: labelkeep}`)
      expect(run(once!, `{regex: "[a-c].*", action: labelkeep}`)).toEqual(once)
    }))
  })
  it("a keep rule and the drop rule with the same regex split every input", () => {
    fc.assert(fc.property(labelSets, (labels) => {
      const kept = run(labels, `{source_labels: [a], regex: "x.*", action: keep}`)
      const dropped = run(labels, `{source_labels: [a], regex: "x.*", action: drop}`)
      expect((kept === undefined) !== (dropped === undefined)).toBe(true)
    }))
  })
  it("never throws, whatever the labels and the replacement template", () => {
    fc.assert(fc.property(labelSets, fc.string(), (labels, template) => {
      const rule = `{source_labels: [a], regex: "(.)(.*)", target_label: out, replacement: ${JSON.stringify(template)}}`
      const r = run(labels, rule)
      expect(r === undefined || typeof r === "object").toBe(true)
    }))
  })
})
