/**
 * Field codecs for YAML scalars kept as text (see `yaml.ts`): each turns the text into its typed value the way
 * Go's decoder would for a field of that type, or fails with what was expected.
 */
import { Effect, Option, Schema, SchemaAST, SchemaIssue, SchemaTransformation } from "effect"
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

/**
 * An optional field: `absent` when the key is missing, `nil` when its value is YAML null. The allocator's own keys
 * treat both alike; Prometheus's keys follow yaml.v2, where null sets the Go zero value (an empty `metrics_path`, a
 * false `honor_timestamps`), which is not always the default.
 */
export const field = <S extends Schema.Top, const D>(schema: S, absent: D, nil: D | S["Type"] = absent) => {
  // The target side is not checked again: the value was decoded by `schema`, or is one of the two defaults.
  const target = Schema.Any as unknown as Schema.Codec<S["Type"] | D>
  // A null is always acceptable here, so a type error is about the inner schema: say what it expects.
  const expected = SchemaAST.resolveAt<string>("expected")(schema.ast)
  const nullable = (expected === undefined ? Schema.NullOr(schema) : Schema.NullOr(schema).annotate({ expected })) as unknown as Schema.Codec<S["Type"] | null, S["Encoded"] | null>
  const decoded = Schema.decodeTo(
    target,
    SchemaTransformation.transform<S["Type"] | D, S["Type"] | null>({
      decode: (v) => (v === null ? nil : v),
      encode: (v) => v as S["Type"]
    })
  )(nullable)
  return Schema.withDecodingDefaultTypeKey<typeof decoded>(Effect.succeed(absent as S["Type"] | D))(decoded)
}

/** An optional key whose default is also its value for YAML null (all the allocator's keys; Prometheus keys whose Go zero value is their default). */
export const withDefault = <S extends Schema.Top>(schema: S, value: S["Type"]) => field(schema, value, value)

/** A non-negative integer (Go `uint`). */
export const Uint = NonNegativeInt

/** A Go `uint64`, kept exact. */
export const Uint64 = scalar(
  "a non-negative integer",
  Schema.BigInt,
  (t) => {
    const n = parseInteger(t)
    if (n !== undefined) return n >= 0 ? BigInt(n) : undefined
    // Beyond 2^53: plain decimal digits only.
    if (!/^\+?\d+$/.test(t)) return undefined
    const b = BigInt(t.replace("+", ""))
    return b < 2n ** 64n ? b : undefined
  },
  String
)

export const Float = scalar(
  "a number",
  Schema.Number,
  (t) => (/^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)$/.test(t) ? Number(t) : undefined),
  String
)

const base2Units: Record<string, number> = {
  B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6,
  KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5, EiB: 1024 ** 6
}

/** `units.Base2Bytes`: `512MB`, `1GiB`, `100B`, or `0` (KB and KiB are both 1024). */
export const parseBase2Bytes = (text: string): number | undefined => {
  let s = text
  let neg = false
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-"
    s = s.slice(1)
  }
  if (s === "0") return 0
  if (s === "") return undefined
  let total = 0
  const part = /^(\d*)(?:\.(\d*))?([^\d.]*)/
  while (s !== "") {
    const m = part.exec(s)
    if (m === null || (m[1] === "" && (m[2] ?? "") === "")) return undefined
    const unit = base2Units[m[3]!]
    if (unit === undefined) return undefined
    total += Number(`${m[1] || "0"}.${m[2] ?? "0"}`) * unit
    s = s.slice(m[0].length)
  }
  return Math.trunc(neg ? -total : total)
}

/** `units.Base2Bytes.String`: `10MiB`, `1KiB512B`, `0B`. */
export const formatBase2Bytes = (bytes: number): string => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
  if (bytes === 0) return "0B"
  let n = bytes
  let out = ""
  for (const unit of units) {
    const r = n % 1024
    if (r !== 0) out = `${r}${unit}${out}`
    n = Math.floor(n / 1024)
    if (n === 0) break
  }
  return out
}

export const ByteSize = scalar(`a size such as "512MB" or "1GiB"`, Schema.Number, (t) => {
  const n = parseBase2Bytes(t)
  return n !== undefined && n >= 0 ? n : undefined
}, formatBase2Bytes)
