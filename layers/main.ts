#!/usr/bin/env -S node --max-semi-space-size=32
/** `target-allocator`: serves by default; a bad configuration exits with code 1 before anything starts. */
import "./nodeVersion.ts"
import "./v8Flags.ts"
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Layer, Logger, Runtime } from "effect"
import { Command } from "effect/cli"
import { allocateCommand } from "./cli/allocate.ts"
import { checkCommand } from "./cli/check.ts"
import { serve, serveFlags } from "./cli/serve.ts"

const root = Command.make("target-allocator", serveFlags, serve).pipe(
  Command.withDescription("A drop-in replacement for the OpenTelemetry Target Allocator; serves by default"),
  Command.withSubcommands([checkCommand, allocateCommand])
)

// SIGTERM interrupts the program: scopes close, the server drains, and the process exits 0.
const teardown: Runtime.Teardown = (exit, onExit) =>
  Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)

root.pipe(
  Command.run({ version: "0.1.0" }),
  Effect.catchTag(["ConfigError", "CheckFailed", "KubeConfigError"], (e) => Console.error(e.message).pipe(Effect.andThen(Effect.fail(e)))),
  Effect.provide(Layer.mergeAll(NodeServices.layer, Logger.layer([Logger.consoleLogFmt]))),
  NodeRuntime.runMain({ teardown, disableErrorReporting: true })
)
