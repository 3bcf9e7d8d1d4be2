import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { InvalidEscape, queryEscape, queryUnescape } from "../../src/http/queryEscape.ts"
import { firstQueryValue, parseJobTargetsRequest } from "../../src/http/requestTarget.ts"

/** What Node's HTTP parser hands over for a request target: one character per byte. */
const asRequestTarget = (s: string) => Buffer.from(s, "utf8").toString("latin1")

describe("Go's url.QueryEscape", () => {
  it.each([
    ["serviceMonitor/ns/app/0", "serviceMonitor%2Fns%2Fapp%2F0"],
    ["a b", "a+b"],
    ["a+b", "a%2Bb"],
    ["100%", "100%25"],
    ["x&y=z", "x%26y%3Dz"],
    ["ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"],
    ["keep-_.~", "keep-_.~"],
    ["😀", "%F0%9F%98%80"]
  ])("escapes %j as %s", (raw, escaped) => {
    expect(queryEscape(raw)).toBe(escaped)
    expect(queryUnescape(escaped)).toBe(raw)
  })

  it("reads + as a space and refuses a malformed escape, as Go does", () => {
    expect(queryUnescape("a+b%20c")).toBe("a b c")
    expect(queryUnescape("bad%zz")).toBeInstanceOf(InvalidEscape)
    expect(queryUnescape("trailing%2")).toBeInstanceOf(InvalidEscape)
  })

  it("reads raw UTF-8 bytes in a request target", () => {
    expect(queryUnescape(asRequestTarget("jöb"))).toBe("jöb")
  })

  it("unescapes whatever it escapes", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => queryUnescape(queryEscape(s)) === s))
  })
})

describe("reading /jobs/<job>/targets requests", () => {
  it("takes the job from the raw path segment and the first collector_id", () => {
    expect(parseJobTargetsRequest("/jobs/serviceMonitor%2Fns%2Fapp%2F0/targets?collector_id=c-1&collector_id=c-2"))
      .toEqual({ job: "serviceMonitor/ns/app/0", collectorId: "c-1" })
    expect(parseJobTargetsRequest("/jobs/my+job/targets")).toEqual({ job: "my job", collectorId: undefined })
    expect(parseJobTargetsRequest("/jobs/j/targets?collector_id=")).toEqual({ job: "j", collectorId: "" })
  })

  it("does not match a job name with a raw slash", () => {
    expect(parseJobTargetsRequest("/jobs/a/b/targets")).toBeUndefined()
  })

  it("reports a malformed escape in the job", () => {
    expect(parseJobTargetsRequest("/jobs/a%zz/targets")).toBeInstanceOf(InvalidEscape)
  })

  it("decodes query values with query rules", () => {
    expect(firstQueryValue("a=1&collector_id=pod+1%2Fx", "collector_id")).toBe("pod 1/x")
    expect(firstQueryValue("collector_id", "collector_id")).toBe("")
    expect(firstQueryValue("other=1", "collector_id")).toBeUndefined()
  })
})
