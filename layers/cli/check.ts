/**
 * `target-allocator check config FILE` and `target-allocator check service-discovery FILE JOB`: what
 * `promtool check config` and `promtool check service-discovery` do, for a Prometheus config or an allocator config.
 */
import { Console, Data, Duration, Effect, FileSystem, Logger } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { checkConfig } from "../../src/check/config.ts"
import { sdCheckJsonWriter, sdCheckTargets } from "../../src/check/serviceDiscovery.ts"
import { parseDuration } from "../../src/config/duration.ts"
import { ConfigError, issue } from "../../src/config/issues.ts"
import { providersLive } from "../discovery/live.ts"
import { initialSync } from "../discovery/initialSync.ts"

/** stdout is the command's result; logs go to stderr. */
export const logsToStderr = Logger.layer([Logger.withConsoleError(Logger.formatLogFmt)])

/** Output straight to stdout, waiting until it is taken: `console.log` of a large string costs seconds. */
const writeStdout = (text: string | Uint8Array) =>
  Effect.callback<void>((resume) => {
    process.stdout.write(text, () => resume(Effect.void))
  })

export class CheckFailed extends Data.TaggedError("CheckFailed")<{ readonly message: string }> {}

/** Reads the file, then checks it as `promtool` (a Prometheus config) or the allocator (its own config) would. */
export const load = Effect.fn("check.load")(function*(file: string) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs.readFileString(file).pipe(
    Effect.mapError((e) => new ConfigError({ source: file, issues: [issue([], `cannot read the file: ${e.message}`)] }))
  )
  return yield* Effect.fromResult(checkConfig(text, file))
})

const configCommand = Command.make(
  "config",
  { file: Argument.String("file").pipe(Argument.withDescription("A Prometheus config or a target allocator config")) },
  ({ file }) =>
    Effect.gen(function*() {
      const loaded = yield* load(file)
      for (const w of loaded.warnings) yield* Console.error(`  WARNING: ${w}`)
      yield* Console.log(`SUCCESS: ${file} is a valid ${loaded.kind} config with ${loaded.config.scrape_configs.length} scrape configs`)
    })
).pipe(Command.withDescription("Check that a config is valid (exit 1 with every problem otherwise)"))

const serviceDiscoveryCommand = Command.make(
  "service-discovery",
  {
    file: Argument.String("file").pipe(Argument.withDescription("A Prometheus config or a target allocator config")),
    job: Argument.String("job").pipe(Argument.withDescription("The job to discover")),
    timeout: Flag.String("timeout").pipe(
      Flag.withDescription("How long to wait for the initial discovery (e.g. 30s)"),
      Flag.withDefault("30s")
    )
  },
  ({ file, job, timeout }) =>
    Effect.scoped(Effect.gen(function*() {
      const waitMs = parseDuration(timeout)
      if (waitMs === undefined) return yield* new CheckFailed({ message: `--timeout: expected a duration such as "30s", got ${JSON.stringify(timeout)}` })
      const loaded = yield* load(file)
      const sc = loaded.config.scrape_configs.find((c) => c.job_name === job)
      if (sc === undefined) {
        const jobs = loaded.config.scrape_configs.map((c) => JSON.stringify(c.job_name)).join(", ")
        return yield* new CheckFailed({ message: `job ${JSON.stringify(job)} not found in ${file} (jobs: ${jobs || "none"})` })
      }
      const { groups, problems } = yield* initialSync(sc, Duration.millis(waitMs)).pipe(
        Effect.provide(providersLive(loaded.kubeconfigPath, undefined))
      )
      for (const p of problems) yield* Console.error(`  WARNING: ${p}`)
      // Printed as computed, a megabyte at a time: a hundred thousand targets are a hundred megabytes of JSON.
      const out = sdCheckJsonWriter()
      for (const t of sdCheckTargets(sc, groups)) {
        // promtool prints a target's error as `{}`; the reason goes to stderr.
        if (t.error !== undefined) yield* Console.error(`  target ${t.address}: ${t.error}`)
        out.target(t)
        if (out.size() >= 1 << 20) yield* writeStdout(out.take())
      }
      out.end()
      yield* writeStdout(out.take())
    }).pipe(Effect.provide(logsToStderr)))
).pipe(Command.withDescription("Print the targets of a job before and after relabeling, as promtool does"))

export const checkCommand = Command.make("check").pipe(
  Command.withDescription("Check configurations, as promtool does"),
  Command.withSubcommands([configCommand, serviceDiscoveryCommand])
)
