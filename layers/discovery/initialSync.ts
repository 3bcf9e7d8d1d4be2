/**
 * The initial discovery of one job, as `check service-discovery` needs it: every provider's first update (lists
 * complete, files read, the first HTTP or DNS answer), all waited for together under one deadline. A provider that
 * fails or does not answer in time is reported, and the others' targets are still returned.
 */
import { Duration, Effect, Option, Stream } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import { clientNode } from "../kubernetes/clientNode.ts"
import { undici } from "../undici.ts"
import { Providers } from "./Providers.ts"

export interface InitialSync {
  readonly groups: ReadonlyArray<TargetGroup>
  /** The same groups by provider (sources are unique within a provider only). */
  readonly byProvider: ReadonlyArray<{ readonly provider: string; readonly groups: ReadonlyArray<TargetGroup> }>
  /** One line per provider that failed or did not answer in time. */
  readonly problems: ReadonlyArray<string>
}

export const initialSync = (sc: ScrapeConfig, timeout: Duration.Duration) =>
  Effect.gen(function*() {
    // The clients loaded on first use are loaded before the deadline starts: loading them blocks every provider
    // for up to a second, which is not theirs to answer for.
    const kubernetes = (sc.kubernetes_sd_configs ?? []).length > 0
    if (kubernetes) yield* clientNode
    if (kubernetes || (sc.http_sd_configs ?? []).length > 0) yield* undici
    const providers = (yield* Providers).of(sc)
    const job = JSON.stringify(sc.job_name)
    const firsts = yield* Effect.forEach(providers, (p) =>
      p.updates.pipe(
        Stream.runHead,
        Effect.timeoutOption(timeout),
        Effect.map((o) => {
          const first = Option.flatten(o)
          return Option.isSome(first)
            ? { provider: p.key, groups: first.value, problems: [] }
            : { provider: p.key, groups: [], problems: [`${p.key.split("#")[0]} of job ${job} did not answer within ${Duration.format(timeout)}`] }
        }),
        Effect.catch((e) => Effect.succeed({ provider: p.key, groups: [], problems: [`${p.key.split("#")[0]} of job ${job}: ${e.message}`] }))
      ), { concurrency: "unbounded" })
    return {
      groups: firsts.flatMap((f) => f.groups),
      byProvider: firsts.map(({ provider, groups }) => ({ provider, groups })),
      problems: firsts.flatMap((f) => f.problems)
    } satisfies InitialSync
  })
