/** Content negotiation for the cached bodies: gzip or as they are. */

/** `gzip` (or `*`) listed in an Accept-Encoding header with a non-zero quality. */
export const acceptsGzip = (header: string | undefined): boolean =>
  header !== undefined && header.split(",").some((part) => {
    const [coding, ...params] = part.trim().split(";")
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="))
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0)
  })
