/** Content negotiation for the cached bodies: gzip or as they are. */

/** `gzip` (or `*`) listed in an Accept-Encoding header with a non-zero quality. */
export const acceptsGzip = (header: string | undefined): boolean =>
  // Go's client sends exactly this: answered without parsing, as every collector's every poll asks.
  header === "gzip" || (header !== undefined && header.split(",").some((part) => {
    // Whitespace is allowed around `;` as around `,` (RFC 9110 §12.5.3).
    const [coding, ...params] = part.split(";").map((p) => p.trim())
    const q = params.find((p) => p.startsWith("q="))
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0)
  }))

export interface Negotiated {
  readonly body: Uint8Array
  /** `content-encoding` when gzipped, and `vary` either way: caches must key on Accept-Encoding. */
  readonly headers: Readonly<Record<string, string>>
}

const gzipped = { "content-encoding": "gzip", vary: "Accept-Encoding" } as const
const plain = { vary: "Accept-Encoding" } as const

/** The body gzipped when the client accepts it (the collector's Go client always does), as it is otherwise. */
export const negotiate = (acceptEncoding: string | undefined, identity: () => Uint8Array, gzip: () => Uint8Array): Negotiated =>
  acceptsGzip(acceptEncoding) ? { body: gzip(), headers: gzipped } : { body: identity(), headers: plain }
