/**
 * The rejected corpus (`test/fixtures/rejected/`): configs Prometheus refuses, with promtool's message next to each
 * (`<case>.promtool.txt`). We refuse every one, naming the YAML path and the job, in Prometheus's own words where
 * Prometheus has words for it; where Go's message is only a decoder's ("cannot unmarshal !!seq into string"), ours
 * says what was expected and what was found. `accepted-by-prometheus-3/` holds what only promtool 2.42 refuses.
 */
import { Result } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { checkConfig } from "../../src/check/config.ts"
import { formatIssue } from "../../src/config/issues.ts"

const root = join(import.meta.dirname, "..", "fixtures", "rejected")
const yamlIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()

/** Cases where our message says it differently from Go's decoder; everything else must quote Prometheus. */
const ourWords: Record<string, string> = {
  "bad-duration-fraction": `global.scrape_interval: expected a duration such as "30s", "1m30s" or "1d", got "1.5m"`,
  "bad-duration-unit-order": `scrape_configs[0].scrape_interval (job "app"): expected a duration such as "30s", "1m30s" or "1d", got "30s1m"`,
  "bad-duration-unit": `scrape_configs[0].scrape_timeout (job "app"): expected a duration such as "30s", "1m30s" or "1d", got "10sec"`,
  "bad-duration-words": `scrape_configs[0].scrape_interval (job "app"): expected a duration such as "30s", "1m30s" or "1d", got "5 minutes"`,
  "basic-auth-password-and-password-file": `scrape_configs[0].basic_auth (job "app"): at most one of basic_auth password, password_file & password_ref must be configured`,
  "hashmod-negative-modulus": `scrape_configs[0].relabel_configs[0].modulus (job "app"): expected a non-negative integer, got "-1"`,
  "honor-labels-not-bool": `scrape_configs[0].honor_labels (job "app"): expected a boolean (true or false), got "sometimes"`,
  "null-relabel-rule": `scrape_configs[0].relabel_configs[0] (job "app"): expected a relabel config (a mapping), got nothing`,
  "null-scrape-config": `scrape_configs[0]: expected a scrape config (a mapping), got nothing`,
  "sample-limit-negative": `scrape_configs[0].sample_limit (job "app"): expected a non-negative integer, got "-1"`,
  "separator-not-a-string": `scrape_configs[0].relabel_configs[0].separator (job "app"): expected a string, got a list`,
  // 2.42 had no inline `ca`; Prometheus 3 has it, and refuses it next to ca_file.
  "tls-ca-and-ca-file": `scrape_configs[0].tls_config (job "app"): at most one of ca, ca_file & ca_ref must be configured`,
  "tls-cert-without-key": `scrape_configs[0].tls_config (job "app"): exactly one of key or key_file must be configured when a client certificate is configured`,
  "unknown-relabel-field": `scrape_configs[0].relabel_configs[0].target (job "app"): unknown field; Prometheus refuses it`,
  "unknown-scrape-config-field": `scrape_configs[0].scrape_intervall (job "app"): unknown field; Prometheus refuses it`,
  "unknown-static-config-field": `scrape_configs[0].static_configs[0].label (job "app"): unknown field; Prometheus refuses it`,
  "unknown-top-level-field": `scrape_config: unknown field; Prometheus refuses it`,
  "yaml-syntax-error": `(top level): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 6, column 1:`
}

/** promtool's message without its `FAILED: ` prefix; Prometheus 3 wraps relabel regexes in `(?s:` instead of `(?:`. */
const prometheusSays = (name: string) =>
  readFileSync(join(root, `${name}.promtool.txt`), "utf8").trim().replace(/^FAILED: /, "").replaceAll("^(?:", "^(?s:")

describe("configs Prometheus refuses", () => {
  it.each(yamlIn(root).map((f) => f.replace(/\.yaml$/, "")))("%s is refused with a clear message", (name) => {
    const r = checkConfig(readFileSync(join(root, `${name}.yaml`), "utf8"), `${name}.yaml`)
    expect(Result.isFailure(r), "refused").toBe(true)
    if (!Result.isFailure(r)) return
    const messages = r.failure.issues.map(formatIssue)
    expect(messages.length).toBeGreaterThan(0)
    const ours = ourWords[name]
    if (ours !== undefined) expect(messages).toContain(ours)
    else expect(messages.some((m) => m.endsWith(`: ${prometheusSays(name)}`) || m.includes(prometheusSays(name)))).toBe(true)
  })
})

describe("configs only promtool 2.42 refuses", () => {
  const dir = join(root, "accepted-by-prometheus-3")
  it.each(yamlIn(dir))("%s is accepted, as Prometheus 3 does", (file) => {
    const r = checkConfig(readFileSync(join(dir, file), "utf8"), file)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
  })
})
