/** `static_config`: target addresses with a common label set. */
import { Schema } from "effect"
import { field, Text } from "../scalars.ts"

export const StaticConfig = Schema.Struct({
  targets: field(Schema.Array(Text), [], []),
  labels: field(Schema.Record(Schema.String, Text), {}, {})
}).annotate({ expected: "a static config (a mapping with targets and labels)" })

export type StaticConfig = typeof StaticConfig.Type
