import type { RelabelRule } from "../../src/config/prometheus/relabelConfig.ts"
import { loadConfig } from "./config.ts"

/** Compiles relabel rules written as YAML flow mappings, through the real config decoder. */
export const rules = (...yaml: ReadonlyArray<string>): ReadonlyArray<RelabelRule> =>
  loadConfig(`
static_collectors: [c0]
config:
  scrape_configs:
    - job_name: j
      relabel_configs: [${yaml.join(", ")}]
`).config.scrape_configs[0]!.relabel_rules

