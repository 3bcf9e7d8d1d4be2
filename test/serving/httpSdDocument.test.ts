import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { renderTarget } from "../../src/http/httpSd.ts"
import * as L from "../../src/labels/labels.ts"
import * as Doc from "../../src/serving/httpSdDocument.ts"
import type { Target } from "../../src/targets/target.ts"

const target = (n: number, version = 0): Target => {
  // Few distinct addresses, so equal addresses are ordered by identity.
  const address = `10.0.${n % 7}.${n % 300}:9100`
  return { job: "j", address, labels: L.fromRecord({ __address__: address, v: String(version) }), id: n, source: "s" }
}

/** What the document must serve: every target, sorted by address then identity. */
const expected = (targets: ReadonlyMap<number, Target>): string =>
  `[${[...targets.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.id - b.id)).map(renderTarget).join(",")}]`

const text = (body: Doc.HttpSdBody) => new TextDecoder().decode(body.bytes)

describe("an HTTP_SD document kept in blocks", () => {
  it("serves exactly what a full render would, after any sequence of joins, leaves and relabels", () => {
    const op = fc.record({ n: fc.integer({ min: 0, max: 2000 }), kind: fc.constantFrom("join", "leave", "relabel") })
    fc.assert(fc.property(fc.array(op, { maxLength: 1500 }), fc.integer({ min: 1, max: 50 }), (ops, every) => {
      const doc = Doc.make()
      const model = new Map<number, Target>()
      const published: Array<[Doc.HttpSdBody, string]> = []
      for (const [i, { n, kind }] of ops.entries()) {
        const current = model.get(n)
        if (kind === "join" && current === undefined) {
          model.set(n, target(n))
          Doc.add(doc, target(n))
        } else if (kind === "leave" && current !== undefined) {
          model.delete(n)
          Doc.remove(doc, current)
        } else if (kind === "relabel" && current !== undefined) {
          const next = target(n, Number(L.get(current.labels, "v")) + 1)
          model.set(n, next)
          Doc.remove(doc, current)
          Doc.add(doc, next)
        }
        if (i % every === 0) published.push([Doc.publish(doc), expected(model)])
      }
      expect(doc.size).toBe(model.size)
      expect(text(Doc.publish(doc))).toBe(expected(model))
      // What was published earlier is unaffected by later changes.
      for (const [body, then] of published) expect(text(body)).toBe(then)
    }), { numRuns: 60 })
  })

  it("renders only the targets that joined: the others' groups are copied from the previous rendering", () => {
    const doc = Doc.make()
    const ts = Array.from({ length: 1000 }, (_, n) => target(n))
    for (const t of ts) Doc.add(doc, t)
    const first = text(Doc.publish(doc))
    // A target whose object is the same is copied, so a stale text proves it was not rendered again.
    const relabeled = { ...ts[500]!, labels: L.fromRecord({ __address__: ts[500]!.address, v: "changed" }) }
    Doc.add(doc, relabeled)
    const copied = ts[501]!
    ;(copied as { labels: L.Labels }).labels = L.fromRecord({ __address__: copied.address, v: "not rendered" })
    Doc.add(doc, target(1001))
    const second = text(Doc.publish(doc))
    expect(second).toContain(`"v":"changed"`)
    expect(second).not.toContain("not rendered")
    expect(second.length).toBeGreaterThan(first.length)
    expect(doc.blocks.length).toBeGreaterThan(1000 / 32)
  })

  it("is [] when empty", () => {
    expect(text(Doc.publish(Doc.make()))).toBe("[]")
  })
})
