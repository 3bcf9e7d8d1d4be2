/** `relabel_config` as Prometheus 3 reads it: fields, defaults, and the action names (case-insensitive). */
import { Schema, SchemaTransformation } from "effect"
import { Text, NonNegativeInt, withDefault } from "../scalars.ts"

export const relabelActions = [
  "replace", "keep", "drop", "keepequal", "dropequal", "hashmod",
  "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase"
] as const
export type RelabelAction = typeof relabelActions[number]

const Action = Text.pipe(
  Schema.decodeTo(Schema.String, SchemaTransformation.transform({ decode: (s) => s.toLowerCase(), encode: (s) => s })),
  Schema.decodeTo(Schema.Literals(relabelActions).annotate({ expected: `one of ${relabelActions.join(", ")}` }))
)

export const defaultRegex = "(.*)"
export const defaultReplacement = "$1"
export const defaultSeparator = ";"

export const RelabelConfig = Schema.Struct({
  source_labels: withDefault(Schema.Array(Text), []),
  separator: withDefault(Text, defaultSeparator),
  regex: withDefault(Text, defaultRegex),
  modulus: withDefault(NonNegativeInt, 0),
  target_label: withDefault(Text, ""),
  replacement: withDefault(Text, defaultReplacement),
  action: withDefault(Action, "replace")
}).annotate({ expected: "a relabel config (a mapping)" })

export type RelabelConfig = typeof RelabelConfig.Type
