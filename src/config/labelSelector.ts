/**
 * A Kubernetes label selector (`metav1.LabelSelector`), as the allocator's file spells it.
 *
 * Upstream decodes keys case-insensitively, so `matchLabels` and `matchlabels` both work; when both are present the
 * camelCase one wins. Missing and `{}` both select everything.
 */
import { Schema, SchemaTransformation } from "effect"
import { Text, withDefault } from "./scalars.ts"

const operators = ["In", "NotIn", "Exists", "DoesNotExist"] as const

export const LabelSelectorRequirement = Schema.Struct({
  key: Text.check(Schema.isNonEmpty({ expected: "a non-empty label key" })),
  operator: Text.pipe(Schema.decodeTo(Schema.Literals(operators).annotate({ expected: "one of In, NotIn, Exists, DoesNotExist" }))),
  values: withDefault(Schema.Array(Text), [])
}).check(
  Schema.makeFilter((r) => {
    const needsValues = r.operator === "In" || r.operator === "NotIn"
    if (needsValues && r.values.length === 0) return { path: ["values"], issue: `operator ${r.operator} needs at least one value` }
    if (!needsValues && r.values.length > 0) return { path: ["values"], issue: `operator ${r.operator} takes no values` }
    return undefined
  })
)
export type LabelSelectorRequirement = typeof LabelSelectorRequirement.Type

const MatchLabels = Schema.Record(Schema.String, Text)
const MatchExpressions = Schema.Array(LabelSelectorRequirement)

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>
  readonly matchExpressions: ReadonlyArray<LabelSelectorRequirement>
}

const Spellings = Schema.Struct({
  matchLabels: Schema.optionalKey(MatchLabels),
  matchlabels: Schema.optionalKey(MatchLabels),
  matchExpressions: Schema.optionalKey(MatchExpressions),
  matchexpressions: Schema.optionalKey(MatchExpressions)
}).annotate({ expected: "a label selector (matchLabels, matchExpressions)" })

export const LabelSelector = Spellings.pipe(
  Schema.decodeTo(
    Schema.toType(Schema.Struct({ matchLabels: MatchLabels, matchExpressions: MatchExpressions })),
    SchemaTransformation.transform({
      decode: (s): LabelSelector => ({
        matchLabels: s.matchLabels ?? s.matchlabels ?? {},
        matchExpressions: s.matchExpressions ?? s.matchexpressions ?? []
      }),
      encode: (s) => s
    })
  )
)
