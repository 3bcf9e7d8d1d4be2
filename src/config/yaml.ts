/**
 * YAML as Go's typed decoders read it.
 *
 * Go's yaml decoder interprets a scalar by the type of the field it lands in: `0755` stays `"0755"` in a string
 * field, `yes` is `true` in a bool field. To get the same result, every scalar is kept as its text and each
 * field's schema does the conversion. `~`, `null` and empty values are `null`: each field decides what that means
 * (the allocator's own keys keep their default; Prometheus keys take the zero value of their Go type, as yaml.v2
 * does).
 */
import { Data } from "effect"
import { parseDocument, type Tags } from "yaml"

export type RawValue = string | null | ReadonlyArray<RawValue> | { readonly [key: string]: RawValue }

export class YamlSyntaxError extends Data.TaggedError("YamlSyntaxError")<{ readonly message: string }> {}

const nullTag: Tags[number] = {
  identify: (v: unknown) => v === null || v === undefined,
  default: true,
  tag: "tag:yaml.org,2002:null",
  test: /^(?:~|[Nn]ull|NULL)?$/,
  resolve: () => null
}

export const parseYaml = (text: string): RawValue | YamlSyntaxError => {
  const doc = parseDocument(text, {
    schema: "failsafe",
    customTags: [nullTag],
    merge: true,
    uniqueKeys: true,
    prettyErrors: true,
    logLevel: "silent"
  })
  if (doc.errors.length > 0) return new YamlSyntaxError({ message: doc.errors.map((e) => e.message).join("\n") })
  return (doc.toJS({ maxAliasCount: 1000 }) ?? null) as RawValue
}

export const isRecord = (v: unknown): v is Record<string, RawValue> =>
  typeof v === "object" && v !== null && !Array.isArray(v)
