/** Scrape protocols a job may negotiate, by Prometheus's names (case-sensitive). */
import { Text } from "../scalars.ts"

export const scrapeProtocolNames = [
  "PrometheusProto", "PrometheusText0.0.4", "PrometheusText1.0.0", "OpenMetricsText0.0.1", "OpenMetricsText1.0.0"
] as const
export type ScrapeProtocolName = typeof scrapeProtocolNames[number]

export const defaultScrapeProtocols: ReadonlyArray<ScrapeProtocolName> = [
  "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"
]
export const defaultProtoFirstScrapeProtocols: ReadonlyArray<ScrapeProtocolName> = ["PrometheusProto", ...defaultScrapeProtocols]

/** Kept as text: an unknown name is refused by `validateScrapeProtocols`, with Prometheus's message. */
export const ScrapeProtocol = Text

const sorted = [...scrapeProtocolNames].sort()
export const unknownProtocol = (p: string): string | undefined =>
  (scrapeProtocolNames as ReadonlyArray<string>).includes(p) ? undefined : `unknown scrape protocol ${p}, supported: [${sorted.join(" ")}]`

/** `validateAcceptScrapeProtocols`: not empty, no duplicates (case-insensitively), only known names. */
export const validateScrapeProtocols = (ps: ReadonlyArray<string>): string | undefined => {
  if (ps.length === 0) return "scrape_protocols cannot be empty"
  const seen = new Set<string>()
  for (const p of ps) {
    if (seen.has(p.toLowerCase())) return `duplicated protocol in scrape_protocols, got [${ps.join(" ")}]`
    const bad = unknownProtocol(p)
    if (bad !== undefined) return `scrape_protocols: ${bad}`
    seen.add(p.toLowerCase())
  }
  return undefined
}
