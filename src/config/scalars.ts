/**
 * Field codecs for YAML scalars kept as text (see `yaml.ts`): each turns the text into its typed value the way
 * Go's decoder would for a field of that type, or fails with what was expected.
 */
import { Effect, Option, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { parseDuration, parsePrometheusDuration } from "./duration.ts"
import { secretAnnotation } from "./issues.ts"
import { Secret } from "./secret.ts"

const scalar = <T>(expected: string, to: Schema.Codec<T, T>, parse: (text: string) => T | undefined, print: (v: T) => string) =>
  Schema.String.annotate({ expected }).pipe(
    Schema.decodeTo(
      to,
      SchemaTransformation.transformEffect<T, string>({
        decode: (text) => {
          const v = parse(text)
          return v === undefined
            ? Effect.fail(new SchemaIssue.InvalidValue({ message: `expected ${expected}` }, Option.some(text)))
            : Effect.succeed(v)
        },
        encode: (v) => Effect.succeed(print(v))
      })
    )
  )

/** Any scalar, as its text (Go decodes `8080` or `true` into a string field as written). */
export const Text = Schema.String.annotate({ expected: "a string" })

const yamlTrue = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
const yamlFalse = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])

/** YAML 1.1 booleans, as Go's yaml.v2 reads them. */
export const Bool = scalar(
  "a boolean (true or false)",
  Schema.Boolean,
  (t) => (yamlTrue.has(t) ? true : yamlFalse.has(t) ? false : undefined),
  String
)

const parseInteger = (t: string): number | undefined => {
  const s = t.replaceAll("_", "")
  if (!/^[-+]?(?:0x[0-9a-fA-F]+|0o?[0-7]+|0b[01]+|\d+)$/.test(s)) return undefined
  const neg = s.startsWith("-")
  const body = s.replace(/^[-+]/, "")
  const n = /^0[0-7]+$/.test(body) ? Number.parseInt(body.slice(1), 8) : Number(body.replace(/^0o/, "0o"))
  if (!Number.isSafeInteger(n)) return undefined
  return neg ? -n : n
}

export const Int = scalar("an integer", Schema.Number, parseInteger, String)

export const NonNegativeInt = scalar(
  "a non-negative integer",
  Schema.Number,
  (t) => {
    const n = parseInteger(t)
    return n !== undefined && n >= 0 ? n : undefined
  },
  String
)

/** A Prometheus duration (`30s`, `1m30s`, `1d`), in milliseconds. */
export const PrometheusDuration = scalar(
  `a duration such as "30s", "1m30s" or "1d"`,
  Schema.Number,
  parsePrometheusDuration,
  (ms) => `${ms}ms`
)

/** A duration in Go (`1.5s`, `300ms`) or Prometheus (`1d`) syntax, in milliseconds; negative is refused. */
export const Duration = scalar(
  `a duration such as "30s", "1m30s" or "500ms"`,
  Schema.Number,
  (t) => {
    const ms = parseDuration(t)
    return ms !== undefined && ms >= 0 ? ms : undefined
  },
  (ms) => `${ms}ms`
)

/** A credential: decoded into a `Secret`, never quoted in error messages. */
export const SecretText = Schema.String.annotate({ expected: "a string", [secretAnnotation]: true }).pipe(
  Schema.decodeTo(
    Schema.instanceOf(Secret),
    SchemaTransformation.transform<Secret, string>({ decode: (t) => new Secret(t), encode: (s) => s.reveal() })
  ),
  Schema.annotate({ [secretAnnotation]: true })
)

/** An optional field that takes `value` when absent. */
export const withDefault = <S extends Schema.Top>(schema: S, value: S["Type"]) =>
  schema.pipe(Schema.withDecodingDefaultTypeKey(Effect.succeed(value)))
