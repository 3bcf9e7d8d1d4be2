import { describe, expect, it } from "vitest"
import { acceptsGzip, negotiate } from "../../src/http/contentEncoding.ts"

describe("content negotiation", () => {
  it("gzips for gzip or * with a non-zero quality, as Go's client and curl --compressed ask", () => {
    for (const h of ["gzip", "gzip, deflate", "deflate, gzip;q=0.5", " * ", "br;q=1, gzip ; q=0.1"]) expect(acceptsGzip(h)).toBe(true)
    for (const h of [undefined, "", "identity", "deflate, br", "gzip;q=0", "*;q=0", "x-gzip"]) expect(acceptsGzip(h)).toBe(false)
  })

  it("answers the gzipped body with content-encoding, the plain one without, and varies on Accept-Encoding either way", () => {
    const plain = Uint8Array.of(1)
    const gzipped = Uint8Array.of(2)
    expect(negotiate("gzip", () => plain, () => gzipped)).toEqual({ body: gzipped, headers: { "content-encoding": "gzip", vary: "Accept-Encoding" } })
    expect(negotiate(undefined, () => plain, () => gzipped)).toEqual({ body: plain, headers: { vary: "Accept-Encoding" } })
  })
})
