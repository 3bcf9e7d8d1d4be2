/**
 * `target-allocator allocate --config-file F --collectors N|a,b,c [--strategy S]`: runs discovery once, filters,
 * allocates over the given collectors and prints who would scrape what, as JSON.
 */
import { Console, Duration, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { strategyFor } from "../../src/allocation/strategies.ts"
import { parseDuration } from "../../src/config/duration.ts"
import { allocationStrategies, type AllocationStrategy } from "../../src/config/targetAllocator.ts"
import { parseCollectors, planAllocation } from "../../src/planning/allocate.ts"
import { initialSync } from "../discovery/initialSync.ts"
import { providersLive } from "../discovery/live.ts"
import { CheckFailed, load, logsToStderr } from "./check.ts"

export const allocateCommand = Command.make(
  "allocate",
  {
    configFile: Flag.String("config-file").pipe(Flag.withDescription("A target allocator config or a Prometheus config")),
    collectors: Flag.String("collectors").pipe(
      Flag.withDescription("N (collector-0 .. collector-N-1, as a StatefulSet names them) or a list a,b,c (name@node for per-node); default: the config's static_collectors"),
      Flag.optional
    ),
    strategy: Flag.Literals("strategy", allocationStrategies).pipe(
      Flag.withDescription("The allocation strategy (default: the config's, else consistent-hashing)"),
      Flag.optional
    ),
    timeout: Flag.String("timeout").pipe(Flag.withDescription("How long to wait for the initial discovery"), Flag.withDefault("30s"))
  },
  ({ configFile, collectors, strategy, timeout }) =>
    Effect.scoped(Effect.gen(function*() {
      const waitMs = parseDuration(timeout)
      if (waitMs === undefined) return yield* new CheckFailed({ message: `--timeout: expected a duration such as "30s", got ${JSON.stringify(timeout)}` })
      const loaded = yield* load(configFile)
      const allocator = loaded.allocator
      const fleet = Option.isSome(collectors) ? parseCollectors(collectors.value) : allocator?.static_collectors
      if (fleet === undefined) {
        return yield* new CheckFailed({
          message: Option.isSome(collectors)
            ? `--collectors: expected a number or a comma-separated list of names, got ${JSON.stringify(collectors.value)}`
            : "--collectors is needed: the config names no static_collectors"
        })
      }
      const name: AllocationStrategy = Option.getOrUndefined(strategy) ?? allocator?.allocation_strategy ?? "consistent-hashing"
      const discovered = yield* Effect.forEach(loaded.config.scrape_configs, (sc) =>
        initialSync(sc, Duration.millis(waitMs)).pipe(Effect.map((sync) => ({ job: sc.job_name, ...sync }))), { concurrency: "unbounded" }).pipe(
        Effect.provide(providersLive(loaded.kubeconfigPath, undefined))
      )
      for (const problem of discovered.flatMap((d) => d.problems)) yield* Console.error(`  WARNING: ${problem}`)
      const plan = planAllocation(
        loaded.config.scrape_configs,
        discovered,
        fleet,
        strategyFor(name, allocator?.allocation_fallback_strategy ?? ""),
        allocator?.filter_strategy ?? "relabel-config"
      )
      yield* Console.log(JSON.stringify(plan, null, 2))
    }).pipe(Effect.provide(logsToStderr)))
).pipe(Command.withDescription("Print which collector would scrape which target, for planning a fleet"))
