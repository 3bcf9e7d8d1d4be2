/**
 * Configuration problems, each pinned to the YAML path it came from.
 *
 * Every message a user sees about their config goes through here, so they all read the same way:
 * `config.scrape_configs[0].scrape_interval (job "api"): expected a duration such as "30s" or "1m30s", got "soon"`.
 */
import { Data, SchemaAST, SchemaIssue } from "effect"
import { isRecord, type RawValue } from "./yaml.ts"

export type Path = ReadonlyArray<string | number>

export interface ConfigIssue {
  readonly path: Path
  readonly message: string
  /** The job the path lies in, when it lies in one: users know their jobs by name, not by index. */
  readonly job?: string
}

/** A configuration that cannot be used; nothing starts with it. */
export class ConfigError extends Data.TaggedError("ConfigError")<{
  readonly source: string
  readonly issues: ReadonlyArray<ConfigIssue>
}> {
  override get message(): string {
    return `invalid configuration in ${this.source}:\n${this.issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`
  }
}

export const issue = (path: Path, message: string): ConfigIssue => ({ path, message })

export const formatPath = (path: Path): string => {
  let out = ""
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += out === "" ? p : `.${p}`
    else out += `[${JSON.stringify(p)}]`
  }
  return out === "" ? "(top level)" : out
}

export const formatIssue = (i: ConfigIssue): string =>
  `${formatPath(i.path)}${i.job === undefined ? "" : ` (job ${JSON.stringify(i.job)})`}: ${i.message}`

/** How a value from the file is quoted back in a message. */
export const describeValue = (v: unknown): string => {
  if (v === null || v === undefined) return "nothing"
  if (typeof v === "string") return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}...` : v)
  if (Array.isArray(v)) return "a list"
  if (typeof v === "object") return "a mapping"
  return String(v)
}

/** Annotation key marking a schema whose input must never be quoted in messages. */
export const secretAnnotation = "targetAllocatorSecret"

/** Annotation key on an issue whose message already quotes the offending part (Go's regexp errors). */
export const quotesValue = "targetAllocatorQuotesValue"

const valueAt = (doc: RawValue, path: Path): RawValue | undefined => {
  let cur: RawValue | undefined = doc
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === "number") cur = cur[p]
    else if (isRecord(cur) && typeof p === "string") cur = cur[p]
    else return undefined
  }
  return cur
}

const expectedOf = (ast: SchemaAST.AST): string | undefined => SchemaAST.resolveAt<string>("expected")(ast)

const isSecret = (ast: SchemaAST.AST | undefined): boolean =>
  ast !== undefined && SchemaAST.resolveAt<boolean>(secretAnnotation)(ast) === true

const defaultFormat = SchemaIssue.makeFormatterDefault()

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

/**
 * Flattens a Schema failure into one issue per offending field, quoting the value found at that path in the raw
 * document (except for secrets). Unknown keys are returned apart, since they are warnings, not errors.
 */
export const fromSchemaIssue = (
  root: SchemaIssue.Issue,
  doc: RawValue,
  prefix: Path = []
): { readonly errors: ReadonlyArray<ConfigIssue>; readonly unknownKeys: ReadonlyArray<Path> } => {
  const errors: Array<ConfigIssue> = []
  const unknownKeys: Array<Path> = []
  const got = (path: Path, secret: boolean, message = "") => {
    if (secret) return ""
    const described = describeValue(valueAt(doc, path.slice(prefix.length)))
    // Prometheus's own messages often quote the value already.
    return message.includes(described) ? "" : `, got ${described}`
  }
  const walk = (i: SchemaIssue.Issue, path: Path, outer: SchemaAST.AST | undefined): void => {
    switch (i._tag) {
      case "Pointer":
        return walk(i.issue, [...path, ...i.path.map((p) => (typeof p === "number" ? p : String(p)))], undefined)
      case "Composite":
        for (const c of i.issues) walk(c, path, i.ast)
        return
      case "Encoding":
        return walk(i.issue, path, i.ast)
      case "Filter": {
        const inner = i.issue
        if (inner._tag === "InvalidValue" && inner.annotations?.message === undefined) {
          const expected = i.filter.annotations?.expected ?? i.filter.annotations?.description
          if (expected !== undefined) {
            errors.push(issue(path, `expected ${expected}${got(path, isSecret(outer))}`))
            return
          }
        }
        return walk(inner, path, outer)
      }
      case "AnyOf": {
        // A member whose type matched failed deeper down: that is the problem to report, not the union.
        const deeper = i.issues.filter((x) => x._tag !== "InvalidType")
        if (deeper.length > 0) {
          for (const c of deeper) walk(c, path, outer)
          return
        }
        const expected = expectedOf(i.ast)
        if (expected !== undefined || i.issues.length === 0) {
          errors.push(issue(path, `expected ${expected ?? lowerFirst(defaultFormat(i).replace(/^Expected /, ""))}${got(path, false)}`))
          return
        }
        for (const c of i.issues) walk(c, path, outer)
        return
      }
      case "MissingKey":
        errors.push(issue(path, "is required"))
        return
      case "UnexpectedKey":
        unknownKeys.push(path)
        return
      case "InvalidType": {
        const expected = expectedOf(i.ast) ?? lowerFirst(defaultFormat(i).replace(/^Expected /, ""))
        errors.push(issue(path, `expected ${expected}${got(path, isSecret(i.ast) || isSecret(outer))}`))
        return
      }
      case "InvalidValue": {
        const message = i.annotations?.message
        const text = typeof message === "string" ? message : lowerFirst(defaultFormat(i))
        const quoted = i.annotations?.[quotesValue] === true
        errors.push(issue(path, `${text}${quoted ? "" : got(path, isSecret(outer), text)}`))
        return
      }
      default:
        errors.push(issue(path, lowerFirst(defaultFormat(i))))
    }
  }
  walk(root, [...prefix], undefined)
  return { errors, unknownKeys }
}
