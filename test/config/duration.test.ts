import { describe, expect, it } from "vitest"
import { formatPrometheusDuration, parseDuration, parseGoDuration, parsePrometheusDuration } from "../../src/config/duration.ts"

describe("Prometheus durations", () => {
  it.each([
    ["0", 0], ["30s", 30_000], ["1m30s", 90_000], ["1d", 86_400_000], ["2w", 1_209_600_000],
    ["1y", 31_536_000_000], ["500ms", 500], ["1h1m1s1ms", 3_661_001]
  ])("parses %s", (text, ms) => expect(parsePrometheusDuration(text)).toBe(ms))

  it.each(["", "1.5s", "s", "1m1h", "-1s", "30", "1 m", "1S"])("refuses %j", (text) =>
    expect(parsePrometheusDuration(text)).toBeUndefined())

  it.each([
    [0, "0s"], [30_000, "30s"], [90_000, "1m30s"], [86_400_000, "1d"], [7 * 86_400_000, "1w"],
    [8 * 86_400_000, "8d"], [31_536_000_000, "1y"], [1_500, "1s500ms"], [3_600_000, "1h"]
  ])("formats %d ms as %s", (ms, text) => expect(formatPrometheusDuration(ms)).toBe(text))

  it("round-trips what it formats", () => {
    for (const ms of [1, 999, 61_000, 3_723_004, 90 * 86_400_000]) {
      expect(parsePrometheusDuration(formatPrometheusDuration(ms))).toBe(ms)
    }
  })
})

describe("Go durations", () => {
  it.each([["1.5s", 1500], ["300ms", 300], ["1h30m", 5_400_000], ["2m0s", 120_000], ["-1s", -1000], ["1500us", 1.5]])(
    "parses %s",
    (text, ms) => expect(parseGoDuration(text)).toBe(ms)
  )
  it.each(["", "1d", "s", "1x", "."])("refuses %j", (text) => expect(parseGoDuration(text)).toBeUndefined())
  it("the allocator's own fields take either grammar", () => {
    expect(parseDuration("1d")).toBe(86_400_000)
    expect(parseDuration("1.5m")).toBe(90_000)
  })
})
