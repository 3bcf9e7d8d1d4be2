import fc from "fast-check"
import { gunzipSync } from "node:zlib"
import { describe, expect, it } from "vitest"
import { renderTarget } from "../../src/http/httpSd.ts"
import * as L from "../../src/labels/labels.ts"
import * as Pair from "../../src/allocation/pair.ts"
import * as Paged from "../../src/collections/paged.ts"
import * as Doc from "../../src/serving/httpSdDocument.ts"
import * as T from "../../src/targets/target.ts"

type Target = T.Target & { readonly n: string }

const target = (n: number, version = 0): Target => {
  // Few distinct addresses, so that most targets share theirs with others and are ordered by their labels.
  const address = `10.0.${n % 7}.1:9100`
  return Object.assign(T.make("s", L.empty, L.fromRecord({ __address__: address, n: String(n), v: String(version) })), { n: String(n) })
}

/**
 * What the document must serve: every target, sorted by address then labels; here, after the same `__address__`,
 * by the label `n` (one value per identity).
 */
const expected = (targets: ReadonlyMap<number, Target>): string =>
  `[${[...targets.values()].sort((a, b) => (a.address !== b.address ? (a.address < b.address ? -1 : 1) : a.n < b.n ? -1 : 1)).map(renderTarget).join(",")}]`

const text = (body: Doc.HttpSdBody) => new TextDecoder().decode(body.bytes)

describe("an HTTP_SD document", () => {
  it("serves exactly what a full render would, after any sequence of joins, leaves and relabels", () => {
    const op = fc.record({ n: fc.integer({ min: 0, max: 400 }), kind: fc.constantFrom("join", "leave", "relabel") })
    fc.assert(fc.property(fc.array(op, { minLength: 300, maxLength: 1500 }), fc.integer({ min: 1, max: 50 }), (ops, every) => {
      const doc = Pair.make("j", "c", { total: 0 }, 0)
      // Target n is slot n.
      const at = Paged.int32()
      at.reserve(401)
      const model = new Map<number, Target>()
      const published: Array<[Doc.HttpSdBody, string]> = []
      for (const [i, { n, kind }] of ops.entries()) {
        const current = model.get(n)
        if (kind === "join" && current === undefined) {
          const joined = target(n)
          model.set(n, joined)
          Pair.add(doc, n, joined, at)
        } else if (kind === "leave" && current !== undefined) {
          model.delete(n)
          Pair.remove(doc, n, at)
        } else if (kind === "relabel" && current !== undefined) {
          // New labels, same identity: the slot stays in the document and serves its new target.
          const relabeled = target(n, Number(L.get(current.targetLabels, "v")) + 1)
          model.set(n, relabeled)
          Pair.retarget(doc, n, relabeled, at)
        }
        if (i % every === 0) published.push([Doc.publish(Pair.published(doc)), expected(model)])
      }
      expect(Pair.size(doc)).toBe(model.size)
      expect(text(Doc.publish(Pair.published(doc)))).toBe(expected(model))
      // What was published earlier is unaffected by later changes.
      for (const [body, then] of published) expect(text(body)).toBe(then)
    }), { numRuns: 60 })
  })

  it("renders when first read, keeps the gzipped bytes, and serves what was published whatever changed since", () => {
    const doc = Pair.make("j", "c", { total: 0 }, 0)
    const at = Paged.int32()
    at.reserve(1001)
    const ts = Array.from({ length: 300 }, (_, n) => target(n))
    ts.forEach((t, n) => Pair.add(doc, n, t, at))
    const body = Doc.publish(Pair.published(doc))
    Pair.remove(doc, 0, at)
    Pair.add(doc, 1000, target(1000), at)
    Pair.retarget(doc, 1, target(1, 1), at)
    const model = new Map(ts.map((t, n) => [n, t]))
    expect(new TextDecoder().decode(gunzipSync(body.gzip))).toBe(expected(model))
    expect(body.gzip).toBe(body.gzip)
    expect(text(body)).toBe(expected(model))
    expect(body.gzip.length).toBeLessThan(body.bytes.length / 5)
  })

  it("is [] when empty", () => {
    expect(text(Doc.publish({ base: [], gone: [], joined: [] }))).toBe("[]")
  })
})
