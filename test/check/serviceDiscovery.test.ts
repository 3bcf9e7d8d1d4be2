import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkServiceDiscovery, sdCheckJsonWriter, type SdCheckTarget } from "../../src/check/serviceDiscovery.ts"
import * as L from "../../src/labels/labels.ts"
import { prometheusJobs } from "../support/config.ts"

/** `json.MarshalIndent(results, "", "  ")`: JavaScript's indented layout is Go's; Go escapes five characters more. */
const goMarshalIndent = (v: unknown): string =>
  JSON.stringify(v, null, "  ").replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** Taken every `every` targets, as the command takes a megabyte at a time. */
const write = (targets: ReadonlyArray<SdCheckTarget>, every = 1): string => {
  const w = sdCheckJsonWriter()
  const decoder = new TextDecoder()
  let out = ""
  for (const [i, t] of targets.entries()) {
    w.target(t)
    if ((i + 1) % every === 0) out += decoder.decode(w.take(), { stream: true })
  }
  w.end()
  return out + decoder.decode(w.take())
}

const record = (pairs: ReadonlyArray<string>) => Object.fromEntries(Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i], pairs[2 * i + 1]]))

const text = fc.array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("<", ">", "&", "\u2028", "\u2029", `"`, "\\", "\n"))).map((xs) => xs.join(""))
const pairs = fc.dictionary(text, text).map((d) => Object.keys(d).sort().flatMap((k) => [k, d[k]!]))
const target = fc.record({ discovered: pairs, labels: pairs, error: fc.option(text, { nil: undefined }) })
  .map(({ error, ...t }): SdCheckTarget => ({ address: "", ...t, ...(error === undefined ? {} : { error }) }))

describe("check service-discovery's output", () => {
  it("is promtool's: MarshalIndent's layout, a target's error as {}", () => {
    expect(write([{ address: "a:1", discovered: ["__address__", "a:1", "x", "<&>"], labels: [] }, { address: "", discovered: [], labels: [], error: "no address" }]))
      .toBe(`[\n  {\n    "discoveredLabels": {\n      "__address__": "a:1",\n      "x": "\\u003c\\u0026\\u003e"\n    },\n    "labels": {}\n  },\n  {\n    "discoveredLabels": {},\n    "labels": {},\n    "error": {}\n  }\n]\n`)
    expect(write([])).toBe("[]\n")
  })

  it("is json.MarshalIndent of the results, for any labels", () => {
    fc.assert(fc.property(fc.array(target, { maxLength: 5 }), fc.integer({ min: 1, max: 3 }), (targets, every) => {
      const results = targets.map((t) => ({ discoveredLabels: record(t.discovered), labels: record(t.labels), ...(t.error === undefined ? {} : { error: {} }) }))
      expect(write(targets, every)).toBe(`${goMarshalIndent(results)}\n`)
    }))
  })
})

describe("check service-discovery's results", () => {
  const [sc] = prometheusJobs(`
scrape_configs:
  - job_name: j
    relabel_configs: [{source_labels: [__address__], regex: "drop:.*", action: drop}]
`)
  const group = (source: string, labels: Record<string, string>, ...targets: ReadonlyArray<Record<string, string>>) =>
    ({ source, labels: L.fromRecord(labels), targets: targets.map(L.fromRecord) })

  it("are printed once per source when the discovered labels are equal, however they were split", () => {
    const results = checkServiceDiscovery(sc!, [
      group("a", { x: "1" }, { __address__: "t:1" }, { __address__: "t:1" }, { __address__: "t:1", x: "2" }, { __address__: "drop:1" }),
      group("a", {}, { __address__: "t:1", x: "1" }, { __address__: "drop:1", x: "1" }),
      group("b", { x: "1" }, { __address__: "t:1" })
    ])
    expect(results.map((r) => `${r.discoveredLabels["__address__"]} x=${r.discoveredLabels["x"]} ${Object.keys(r.labels).length > 0}`))
      .toEqual(["t:1 x=1 true", "t:1 x=2 true", "drop:1 x=1 false", "t:1 x=1 true"])
  })

  it("have the seeds where a discovered label is absent or empty", () => {
    const [r] = checkServiceDiscovery(sc!, [group("a", {}, { __address__: "t:1" })])
    expect(r!.discoveredLabels).toMatchObject({ job: "j", __scheme__: "http", __metrics_path__: "/metrics" })
    const [withEmpty] = checkServiceDiscovery(sc!, [{ source: "a", labels: L.unsafeFromSorted(["job", ""]), targets: [L.fromRecord({ __address__: "t:1" })] }])
    expect(withEmpty!.discoveredLabels["job"]).toBe("j")
  })
})

