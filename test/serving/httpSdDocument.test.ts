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

  it("re-renders only the block a change falls in", () => {
    const doc = Doc.make()
    for (let n = 0; n < 1000; n++) Doc.add(doc, target(n))
    let rendered = 0
    const counting = (t: Target) => {
      rendered++
      return new TextEncoder().encode(renderTarget(t))
    }
    Doc.publish(doc, counting)
    expect(rendered).toBe(1000)
    rendered = 0
    Doc.remove(doc, target(500))
    Doc.add(doc, target(1001))
    Doc.publish(doc, counting)
    expect(rendered).toBeLessThanOrEqual(2 * 128)
    expect(doc.blocks.length).toBeGreaterThan(1000 / 128)
  })

  it("is [] when empty", () => {
    expect(text(Doc.publish(Doc.make()))).toBe("[]")
  })
})
