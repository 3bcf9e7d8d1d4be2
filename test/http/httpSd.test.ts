import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { quote, renderTarget } from "../../src/http/httpSd.ts"
import * as Doc from "../../src/serving/httpSdDocument.ts"
import { renderCollectorMap, renderJobs } from "../../src/http/jobs.ts"
import * as L from "../../src/labels/labels.ts"
import * as T from "../../src/targets/target.ts"
import type { Target } from "../../src/targets/target.ts"

const renderHttpSd = (ts: ReadonlyArray<Target>) => new TextDecoder().decode(Doc.publish({ base: ts, gone: [], joined: [] }).bytes)

const target = (address: string, extra: Record<string, string> = {}): Target => {
  const labels = L.fromRecord({ __address__: address, ...extra })
  return T.make("s", L.empty, labels)
}

describe("HTTP_SD rendering", () => {
  it("is a JSON array with one group per target, only targets and labels, pre-relabel labels included", () => {
    const body = renderHttpSd([target("b:1", { __meta_kubernetes_pod_name: "p", env: "x" })])
    expect(JSON.parse(body)).toEqual([
      { targets: ["b:1"], labels: { __address__: "b:1", __meta_kubernetes_pod_name: "p", env: "x" } }
    ])
  })

  it("is [] when empty", () => expect(renderHttpSd([])).toBe("[]"))

  it("is byte-identical whatever the order the targets come in", () => {
    const ts = ["c:1", "a:1", "b:2", "b:1"].map((a) => target(a))
    const once = renderHttpSd(ts)
    expect(renderHttpSd([...ts].reverse())).toBe(once)
    expect(JSON.parse(once).map((g: { targets: Array<string> }) => g.targets[0])).toEqual(["a:1", "b:1", "b:2", "c:1"])
  })

  it("escapes label values as JSON", () => {
    const body = renderHttpSd([target("a:1", { q: "say \"hi\"\n\u2028<&>" })])
    expect(JSON.parse(body)[0].labels.q).toBe("say \"hi\"\n\u2028<&>")
  })
})

describe("/jobs and the collector map", () => {
  it("links every job with its QueryEscaped name", () => {
    expect(JSON.parse(renderJobs(["b", "serviceMonitor/ns/a/0", "with space"]))).toEqual({
      b: { _link: "/jobs/b/targets" },
      "serviceMonitor/ns/a/0": { _link: "/jobs/serviceMonitor%2Fns%2Fa%2F0/targets" },
      "with space": { _link: "/jobs/with+space/targets" }
    })
  })

  it("lists every collector, with its HTTP_SD link and targets", () => {
    const parts = renderCollectorMap("a/b", ["c1", "c 2"], (c) => (c === "c1" ? '[{"targets":["x:1"],"labels":{}}]' : "[]"))
    expect(JSON.parse(parts.join(""))).toEqual({
      c1: { _link: "/jobs/a%2Fb/targets?collector_id=c1", targets: [{ targets: ["x:1"], labels: {} }] },
      "c 2": { _link: "/jobs/a%2Fb/targets?collector_id=c+2", targets: [] }
    })
    expect(renderCollectorMap("j", [], () => "[]").join("")).toBe("{}")
  })

  it("writes the group's labels overridden by the target's own, in name order, as a merged label set would be", () => {
    const labels = fc.dictionary(fc.constantFrom("a", "b", "env", "__meta_x", "z", "é"), fc.string({ minLength: 1, maxLength: 3 }))
    fc.assert(fc.property(labels, labels, (group, own) => {
      const t = T.make("s", L.fromRecord(group), L.fromRecord({ ...own, __address__: "a:1" }))
      const merged = L.merge(t.groupLabels, t.targetLabels)
      const rendered = renderTarget(t)
      expect(JSON.parse(rendered)).toEqual({ targets: ["a:1"], labels: { ...group, ...own, __address__: "a:1" } })
      expect(Object.keys(JSON.parse(rendered).labels)).toEqual(merged.filter((_, i) => i % 2 === 0))
    }))
  })

  it("quotes every string as JSON.stringify does", () => {
    const tricky = fc.constantFrom("\"", "\\", "\n", "\u0000", "\u001f", "\u007f", "\ud800", "\udc00", "\ud83d\ude00", "é", "\u2028", "<&>")
    fc.assert(fc.property(fc.array(fc.oneof(fc.string({ unit: "binary" }), tricky)), (parts) => {
      const s = parts.join("")
      expect(quote(s)).toBe(JSON.stringify(s))
    }), { numRuns: 500 })
  })
})
