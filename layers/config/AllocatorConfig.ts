/** The resolved configuration, read once at start (upstream never reloads the file either). */
import { Context, Effect, FileSystem, Layer } from "effect"
import { ConfigError, formatIssue, issue } from "../../src/config/issues.ts"
import { decodeTargetAllocatorFile, type Overrides, resolveTargetAllocatorConfig } from "../../src/config/load.ts"
import { unsupportedFeatures } from "../../src/config/support.ts"
import type { TargetAllocatorConfig } from "../../src/config/targetAllocator.ts"

export class AllocatorConfig extends Context.Service<AllocatorConfig, TargetAllocatorConfig>()("target-allocator/AllocatorConfig") {
  static readonly layer = (config: TargetAllocatorConfig) => Layer.succeed(AllocatorConfig, config)
}

/** Reads, decodes and checks the file; logs unknown keys; fails with every problem at once. */
export const loadConfigFile = Effect.fn("loadConfigFile")(function*(path: string, env: Overrides, flags: Overrides) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs.readFileString(path).pipe(
    Effect.mapError((e) => new ConfigError({ source: path, issues: [issue([], `cannot read the file: ${e.message}`)] }))
  )
  const decoded = yield* Effect.fromResult(decodeTargetAllocatorFile(text, path))
  for (const w of decoded.warnings) yield* Effect.logWarning(`${path}: ${formatIssue(w)}`)
  const config = yield* Effect.fromResult(resolveTargetAllocatorConfig(decoded.value, env, flags, path))
  const unsupported = unsupportedFeatures(config)
  if (unsupported.length > 0) return yield* new ConfigError({ source: path, issues: unsupported })
  return config
})
