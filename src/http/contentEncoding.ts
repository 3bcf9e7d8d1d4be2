/** Content negotiation for the cached bodies: gzip or as they are. */

/** `gzip` (or `*`) listed in an Accept-Encoding header with a non-zero quality. */
export const acceptsGzip = (header: string | undefined): boolean =>
  header !== undefined && header.split(",").some((part) => {
    const [coding, ...params] = part.trim().split(";")
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="))
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0)
  })

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
