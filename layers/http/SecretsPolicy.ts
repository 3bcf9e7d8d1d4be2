/**
 * Whether a listener may serve real secret values in `/scrape_configs`: the mTLS listener may, the plain one only
 * with `allow_insecure_auth_secrets`. Each listener provides its own.
 */
import { Context, Layer } from "effect"

export class SecretsPolicy extends Context.Service<SecretsPolicy, { readonly reveal: boolean }>()("target-allocator/SecretsPolicy") {
  static readonly layer = (reveal: boolean) => Layer.succeed(SecretsPolicy, { reveal })
}
