/**
 * `relabel_config`: decoded as Prometheus 3 reads it (action names case-insensitive, the regex compiled as
 * `^(?s:<regex>)$`), then checked with Prometheus's own rules and messages once the job's name-validation scheme
 * is known.
 */
import { Effect, Option, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { isValidLabelName, type NameValidationScheme } from "../../labels/names.ts"
import { parseTemplate, type Template } from "../../relabel/expand.ts"
import { compileRegex, type Regex, RegexSyntaxError } from "../../relabel/regex.ts"
import { quotesValue } from "../issues.ts"
import { field, Text, Uint64 } from "../scalars.ts"

export const relabelActions = [
  "replace", "keep", "drop", "keepequal", "dropequal", "hashmod",
  "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase"
] as const
export type RelabelAction = typeof relabelActions[number]

const Action = Text.pipe(
  Schema.decodeTo(
    Schema.String,
    SchemaTransformation.transformEffect({
      decode: (s: string) => {
        const a = s.toLowerCase()
        return (relabelActions as ReadonlyArray<string>).includes(a)
          ? Effect.succeed(a)
          : Effect.fail(new SchemaIssue.InvalidValue({ message: `unknown relabel action ${JSON.stringify(s)}` }, Option.some(s)))
      },
      encode: (s: string) => Effect.succeed(s)
    })
  )
) as unknown as Schema.Codec<RelabelAction, string>

/** A regex field: compiled at decode time, so a syntax error points at the field. */
export const RegexField = Text.pipe(
  Schema.decodeTo(
    Schema.Any as Schema.Codec<Regex>,
    SchemaTransformation.transformEffect({
      decode: (s: string) => {
        const r = compileRegex(s)
        return r instanceof RegexSyntaxError
          ? Effect.fail(new SchemaIssue.InvalidValue({ message: r.message, [quotesValue]: true }, Option.some(s)))
          : Effect.succeed(r)
      },
      encode: (r: Regex) => Effect.succeed(r.source)
    })
  )
)

/** A label name in `source_labels`: any non-empty, valid UTF-8 string (Prometheus 3's default). */
export const LabelNameText = Text.check(
  Schema.makeFilter((s: string) => isValidLabelName(s), { expected: "a valid label name" })
)

export const defaultRegexSource = "(.*)"
export const defaultReplacement = "$1"
export const defaultSeparator = ";"

const emptyRegex = compileRegex("") as Regex
export const defaultRegex = compileRegex(defaultRegexSource) as Regex

export const RelabelConfig = Schema.Struct({
  // Presence matters: `labeldrop` refuses even an empty `source_labels: []`.
  source_labels: field(Schema.Array(LabelNameText), undefined, []),
  separator: field(Text, defaultSeparator, ""),
  // Absent: the default `(.*)`; YAML null: the empty regex, as yaml.v2 zeroes the field and Prometheus then
  // compiles "". Explicitly set (even to the default text) is remembered, as `keepequal` refuses it.
  regex: field(RegexField, undefined, emptyRegex),
  modulus: field(Uint64, 0n, 0n),
  target_label: field(Text, "", ""),
  replacement: field(Text, defaultReplacement, ""),
  action: field(Action, "replace" as RelabelAction, "" as RelabelAction)
}).annotate({ expected: "a relabel config (a mapping)" })

export type RelabelConfig = typeof RelabelConfig.Type

/** A relabel config ready to run: defaults applied, checked against the job's label-name scheme. */
export interface RelabelRule {
  readonly config: RelabelConfig
  readonly action: RelabelAction
  readonly sourceLabels: ReadonlyArray<string>
  readonly separator: string
  readonly regex: Regex
  readonly modulus: bigint
  readonly targetLabel: string
  readonly replacement: string
  /** `targetLabel` and `replacement` as `replace` and `labelmap` expand them. */
  readonly targetTemplate: Template
  readonly replacementTemplate: Template
  readonly scheme: NameValidationScheme
}

/** Prometheus's `relabelTargetLegacy`: legacy names with `$var`/`${var}` references. */
const legacyTemplate = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/

/** `relabel.Config.Validate`, same checks, same order, same messages. */
export const validateRelabelConfig = (c: RelabelConfig, scheme: NameValidationScheme): RelabelRule | string => {
  const a = c.action
  if ((a as string) === "") return "relabel action cannot be empty"
  if (c.modulus === 0n && a === "hashmod") return "relabel configuration for hashmod requires non-zero modulus"
  const needsTarget = a === "replace" || a === "hashmod" || a === "lowercase" || a === "uppercase" || a === "keepequal" || a === "dropequal"
  if (needsTarget && c.target_label === "") return `relabel configuration for ${a} action requires 'target_label' value`
  const hasVar = (s: string) => s.includes("$")
  const validWithVars = (s: string) => (scheme === "utf8" ? isValidLabelName(s, "utf8") : legacyTemplate.test(s))
  const invalidTarget = `${JSON.stringify(c.target_label)} is invalid 'target_label' for ${a} action`
  if (a === "replace" && !hasVar(c.target_label) && !isValidLabelName(c.target_label, scheme)) return invalidTarget
  if (a === "replace" && hasVar(c.target_label) && !validWithVars(c.target_label)) return invalidTarget
  const caseOrEqual = a === "lowercase" || a === "uppercase" || a === "keepequal" || a === "dropequal"
  if (caseOrEqual && !isValidLabelName(c.target_label, scheme)) return invalidTarget
  if (caseOrEqual && c.replacement !== defaultReplacement) return `'replacement' can not be set for ${a} action`
  if (a === "labelmap" && !validWithVars(c.replacement)) {
    return `${JSON.stringify(c.replacement)} is invalid 'replacement' for ${a} action`
  }
  if (a === "hashmod" && !isValidLabelName(c.target_label, scheme)) return invalidTarget
  if ((a === "keepequal" || a === "dropequal") &&
    (c.regex !== undefined || c.modulus !== 0n || c.separator !== defaultSeparator || c.replacement !== defaultReplacement)) {
    return `${a} action requires only 'source_labels' and \`target_label\`, and no other fields`
  }
  if ((a === "labeldrop" || a === "labelkeep") &&
    (c.source_labels !== undefined || c.target_label !== "" || c.modulus !== 0n || c.separator !== defaultSeparator ||
      c.replacement !== defaultReplacement)) {
    return `${a} action requires only 'regex', and no other fields`
  }
  return {
    config: c,
    action: a,
    sourceLabels: c.source_labels ?? [],
    separator: c.separator,
    regex: c.regex ?? defaultRegex,
    modulus: c.modulus,
    targetLabel: c.target_label,
    replacement: c.replacement,
    targetTemplate: parseTemplate(c.target_label),
    replacementTemplate: parseTemplate(c.replacement),
    scheme
  }
}
