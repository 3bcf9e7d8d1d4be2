import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, FileSystem, Metric, Queue, Stream } from "effect"
import { TestClock } from "effect/testing"
import { fileProvider, parseTargetFile } from "../../layers/discovery/file.ts"
import type { TargetGroup } from "../../src/discovery/targetGroup.ts"
import * as L from "../../src/labels/labels.ts"
import { fileSdReadErrors } from "../../layers/telemetry/metrics.ts"

const settle = Effect.repeat(Effect.yieldNow, { times: 30 })
const addresses = (g: TargetGroup) => g.targets.map((t) => L.get(t, "__address__"))

describe("file_sd documents", () => {
  it("reads JSON and YAML, names each group by file and index, and adds __meta_filepath", () => {
    const json = parseTargetFile("/sd/a.json", `[{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}}, {"targets": ["c:3"]}]`)
    assert.isTrue(Array.isArray(json))
    const groups = json as ReadonlyArray<TargetGroup>
    assert.deepStrictEqual(groups.map((g) => g.source), ["/sd/a.json:0", "/sd/a.json:1"])
    assert.deepStrictEqual(L.toRecord(groups[0]!.labels), { __meta_filepath: "/sd/a.json", env: "prod" })
    assert.deepStrictEqual(addresses(groups[0]!), ["a:1", "b:2"])
    const yaml = parseTargetFile("/sd/b.yml", "- targets: [d:4]\n  labels: {team: x}\n") as ReadonlyArray<TargetGroup>
    assert.deepStrictEqual(L.toRecord(yaml[0]!.labels), { __meta_filepath: "/sd/b.yml", team: "x" })
  })

  it("drops empty labels, puts __meta_filepath over the file's own, and keeps any valid name", () => {
    const [group] = parseTargetFile("/sd/a.json", `[{"targets": ["a:1", ""], "labels": {"__proto__": "p", "__meta_filepath": "x", "e": ""}}]`) as ReadonlyArray<TargetGroup>
    assert.deepStrictEqual([...group!.labels], ["__meta_filepath", "/sd/a.json", "__proto__", "p"])
    assert.deepStrictEqual(group!.targets.map((t) => [...t]), [["__address__", "a:1"], []])
  })

  it("refuses what Prometheus refuses: unknown keys, null groups, bad label names, broken syntax", () => {
    assert.match(parseTargetFile("/a.json", `[{"targets": [], "label": {}}]`) as string, /unknown field "label"/)
    assert.strictEqual(parseTargetFile("/a.json", `[null]`), "nil target group item found")
    assert.match(parseTargetFile("/a.json", `[{"targets": ["a:1"], "labels": {"": "x"}}]`) as string, /not a valid label name/)
    assert.match(parseTargetFile("/a.json", `[{"targets": `) as string, /JSON/)
    assert.match(parseTargetFile("/a.yaml", `- targets: [a:1\n`) as string, /.+/)
  })
})

describe("the file_sd provider", () => {
  it.effect("reads the matching files, re-reads them every refresh_interval, keeps a broken file's last good targets", () =>
    Effect.gen(function*() {
      const files = new Map<string, string>([
        ["/sd/a.json", `[{"targets": ["a:1"]}]`],
        ["/sd/b.json", `[{"targets": ["b:1"]}, {"targets": ["b:2"]}]`],
        ["/sd/ignored.txt", `[]`]
      ])
      const fs = FileSystem.makeNoop({
        exists: (p) => Effect.succeed(files.has(p)),
        readDirectory: (d) => Effect.succeed([...files.keys()].filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1))),
        readFileString: (p) => (files.has(p) ? Effect.succeed(files.get(p)!) : Effect.die(`no ${p}`)),
        watch: () => Stream.never
      })
      const updates = yield* Queue.unbounded<ReadonlyArray<TargetGroup>>()
      const p = fileProvider("j", 0, { files: ["/sd/*.json"], refresh_interval: 60_000 }, fs)
      const errorsBefore = (yield* Metric.value(fileSdReadErrors)).count
      const fiber = yield* p.updates.pipe(Stream.runForEach((u) => Queue.offer(updates, u)), Effect.forkChild)
      const first = yield* Queue.take(updates)
      assert.deepStrictEqual(first.map((g) => g.source), ["/sd/a.json:0", "/sd/b.json:0", "/sd/b.json:1"])

      // b shrinks to one group, a breaks: b's second source is emptied, a's targets are left alone.
      files.set("/sd/b.json", `[{"targets": ["b:9"]}]`)
      files.set("/sd/a.json", `[{"targets": [`)
      yield* settle
      yield* TestClock.adjust("60 seconds")
      const second = yield* Queue.take(updates)
      assert.deepStrictEqual(second.map((g) => [g.source, addresses(g)]), [["/sd/b.json:0", ["b:9"]], ["/sd/b.json:1", []]])
      assert.strictEqual((yield* Metric.value(fileSdReadErrors)).count, errorsBefore + 1)

      // a is deleted: its sources are emptied.
      files.delete("/sd/a.json")
      yield* TestClock.adjust("60 seconds")
      const third = yield* Queue.take(updates)
      assert.deepStrictEqual(third.map((g) => [g.source, addresses(g)]), [["/sd/b.json:0", ["b:9"]], ["/sd/a.json:0", []]])
      yield* Fiber.interrupt(fiber)
    }))
})
