/**
 * Durations as Prometheus and Go write them, held as milliseconds.
 *
 * Prometheus fields (`scrape_interval`, `1m30s`, `1d`, `2w`) follow `model.ParseDuration`; the allocator's own
 * fields upstream go through Go's `time.ParseDuration` (`1.5s`, `300ms`, `1h30m`), which rejects `1d`. We accept both
 * grammars for the allocator's fields so that neither spelling surprises a user.
 */

const MS = 1
const SECOND = 1000 * MS
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY
const YEAR = 365 * DAY

const promUnits: ReadonlyArray<readonly [string, number]> = [
  ["y", YEAR], ["w", WEEK], ["d", DAY], ["h", HOUR], ["m", MINUTE], ["s", SECOND], ["ms", MS]
]

const promPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/

/** `model.ParseDuration`: units in descending order, each at most once, integers only. */
export const parsePrometheusDuration = (text: string): number | undefined => {
  if (text === "0") return 0
  if (text === "") return undefined
  const m = promPattern.exec(text)
  if (m === null) return undefined
  let total = 0
  for (let i = 0; i < promUnits.length; i++) {
    const digits = m[i + 1]
    if (digits !== undefined) total += Number(digits) * promUnits[i]![1]
  }
  // Go checks for int64 nanosecond overflow; past ~292 years the value is no longer a duration anyone meant.
  return total <= 292 * YEAR ? total : undefined
}

/** `model.Duration.String`: years and weeks only when exact, then d, h, m, s, ms; zero is `0s`. */
export const formatPrometheusDuration = (millis: number): string => {
  let ms = Math.floor(millis)
  if (ms === 0) return "0s"
  let out = ""
  for (const [unit, size] of promUnits) {
    if ((unit === "y" || unit === "w") && ms % size !== 0) continue
    const v = Math.floor(ms / size)
    if (v > 0) {
      out += `${v}${unit}`
      ms -= v * size
    }
  }
  return out
}

const goUnits: Record<string, number> = {
  ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: MS, s: SECOND, m: MINUTE, h: HOUR
}
const goPattern = /^[-+]?(?:\d*\.?\d*(?:ns|us|µs|μs|ms|s|m|h))+$/
const goPart = /(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/g

/** Go's `time.ParseDuration` (a signed sequence of decimal numbers with units), in milliseconds. */
export const parseGoDuration = (text: string): number | undefined => {
  if (text === "0" || text === "+0" || text === "-0") return 0
  if (!goPattern.test(text)) return undefined
  const sign = text.startsWith("-") ? -1 : 1
  let total = 0
  for (const [, num, unit] of text.replace(/^[-+]/, "").matchAll(goPart)) {
    if (num === "" || num === ".") return undefined
    total += Number(num) * goUnits[unit!]!
  }
  return sign * total
}

/** Either grammar: what the allocator accepts for its own durations. */
export const parseDuration = (text: string): number | undefined =>
  parsePrometheusDuration(text) ?? parseGoDuration(text)
