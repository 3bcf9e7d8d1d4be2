/**
 * `file_sd_configs`: the files matching each pattern, read at start, again whenever their directory changes, and
 * every `refresh_interval`. A file that cannot be read or parsed keeps the targets it had (logged and counted); a
 * file that is gone, or shrank, has its vanished groups emptied.
 */
import { Effect, FileSystem, Metric, Queue, Schedule, Stream } from "effect"
import { basename, dirname, join } from "node:path"
import type { FileSdConfig } from "../../src/config/prometheus/sd/file.ts"
import { parseYaml, YamlSyntaxError } from "../../src/config/yaml.ts"
import { parseGroupsDocument, vanished } from "../../src/discovery/groupsDocument.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import { fileSdReadErrors } from "../telemetry/metrics.ts"
import { fingerprint, type Provider } from "./Provider.ts"

const patternToRegex = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`)

const fileSource = (file: string) => (i: number) => `${file}:${i}`

/** What a file holds: JSON or YAML by its extension, as Prometheus decides. */
export const parseTargetFile = (file: string, text: string): ReadonlyArray<TargetGroup> | string => {
  let doc: unknown
  if (/\.json$/i.test(file)) {
    try {
      doc = JSON.parse(text)
    } catch (e) {
      return (e as Error).message
    }
  } else {
    const y = parseYaml(text)
    if (y instanceof YamlSyntaxError) return y.message.split("\n")[0]!
    doc = y ?? []
  }
  return parseGroupsDocument(doc, fileSource(file), ["__meta_filepath", file])
}

export const fileProvider = (job: string, index: number, config: FileSdConfig, fs: FileSystem.FileSystem): Provider => ({
  job,
  mechanism: "file_sd_configs",
  key: `file_sd_configs/${index}#${fingerprint(config)}`,
  updates: Stream.callback<ReadonlyArray<TargetGroup>>((queue) =>
    Effect.gen(function*() {
      const lastCount = new Map<string, number>()

      const list = Effect.gen(function*() {
        const files: Array<string> = []
        for (const pattern of config.files) {
          if (!pattern.includes("*")) {
            if (yield* fs.exists(pattern).pipe(Effect.orElseSucceed(() => false))) files.push(pattern)
            continue
          }
          const dir = dirname(pattern)
          const re = patternToRegex(basename(pattern))
          const names = yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed(() => [] as Array<string>))
          for (const n of names.sort()) if (re.test(n)) files.push(join(dir, n))
        }
        return files
      })

      const refresh = Effect.gen(function*() {
        const update: Array<TargetGroup> = []
        const seen = new Map<string, number>()
        for (const file of yield* list) {
          const text = yield* fs.readFileString(file).pipe(Effect.result)
          const parsed = text._tag === "Success" ? parseTargetFile(file, text.success) : `cannot read: ${text.failure.message}`
          if (typeof parsed === "string") {
            yield* Metric.update(fileSdReadErrors, 1)
            yield* Effect.logError(`file_sd: job ${JSON.stringify(job)}: ${file}: ${parsed}; keeping its last good targets`)
            seen.set(file, lastCount.get(file) ?? 0)
            continue
          }
          update.push(...parsed, ...vanished(fileSource(file), parsed.length, lastCount.get(file) ?? 0))
          seen.set(file, parsed.length)
        }
        for (const [file, n] of lastCount) if (!seen.has(file)) update.push(...vanished(fileSource(file), 0, n))
        lastCount.clear()
        for (const [f, n] of seen) lastCount.set(f, n)
        // Always an update, even an empty one: the first one tells `check service-discovery` the files were read.
        yield* Queue.offer(queue, update)
      })

      yield* refresh
      const dirs = [...new Set(config.files.map(dirname))]
      const changes = Stream.mergeAll(
        dirs.map((d) => fs.watch(d).pipe(Stream.catchCause(() => Stream.empty))),
        { concurrency: "unbounded" }
      )
      // A change of the directory is read a moment later, so a file written in several steps is read once, whole.
      yield* changes.pipe(Stream.debounce("100 millis"), Stream.runForEach(() => refresh), Effect.forkScoped)
      yield* refresh.pipe(Effect.repeat(Schedule.spaced(config.refresh_interval)), Effect.delay(config.refresh_interval), Effect.forkScoped)
    })
  )
})
