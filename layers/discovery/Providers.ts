/** Which providers a scrape config needs: one per SD mechanism block. Tests swap in their own. */
import { Context, Layer } from "effect"
import type { ScrapeConfig } from "../../src/config/prometheus/scrapeConfig.ts"
import type { Provider } from "./Provider.ts"
import { staticProvider } from "./static.ts"

export class Providers extends Context.Service<Providers, {
  readonly of: (sc: ScrapeConfig) => ReadonlyArray<Provider>
}>()("target-allocator/Providers") {
  static readonly layer = Layer.succeed(Providers, {
    of: (sc) => (sc.static_configs.length === 0 ? [] : [staticProvider(sc.job_name, sc.static_configs)])
  })
}
