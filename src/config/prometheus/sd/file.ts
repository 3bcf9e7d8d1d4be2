/** `file_sd_config`, as Prometheus 3.14 reads and checks it. */
import { Schema } from "effect"
import { issue, type ConfigIssue, type Path } from "../../issues.ts"
import { PrometheusDuration, Text, withDefault } from "../../scalars.ts"

/** Prometheus's `patFileSDName`: a `*` only in the last path element, and a JSON or YAML extension. */
const validName = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/

export const FileSdConfig = Schema.Struct({
  files: withDefault(Schema.Array(Text), []),
  refresh_interval: withDefault(PrometheusDuration, 5 * 60_000)
}).annotate({ expected: "a file_sd_config (a mapping)" })
export type FileSdConfig = typeof FileSdConfig.Type

export const validateFileSdConfig = (c: FileSdConfig, path: Path): FileSdConfig | ConfigIssue => {
  if (c.files.length === 0) return issue(path, "file service discovery config must contain at least one path name")
  for (const [i, name] of c.files.entries()) {
    if (!validName.test(name)) return issue([...path, "files", i], `path name ${JSON.stringify(name)} is not valid for file discovery`)
  }
  return c
}
