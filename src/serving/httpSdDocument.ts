/**
 * One collector's HTTP_SD document for one job: a JSON array with one group per target, sorted by address then
 * labels so every poll of an unchanged assignment returns the same bytes (Prometheus names groups by their
 * index, and a reordered list would look like a change of every group).
 *
 * Publishing a document costs a copy of what changed in it since its targets were last copied whole (the pair
 * decides when: allocation/pair.ts); it is rendered when its collector first polls it, and the rendering is cached
 * with the published body. What is kept is the gzipped document (collectors' HTTP
 * clients, Go's, ask for gzip): a tenth of the rendered bytes, which at a million targets of 20 labels is the
 * difference between 100 MB and 1 GB. The plain bytes are kept only weakly, for clients that do not ask for gzip.
 *
 * So a discovery update costs the allocator nothing per rendered byte, however many documents it touches; each
 * touched document is rendered once, at its next poll, whole (a few hundred targets, well under a millisecond per
 * hundred). Keeping rendered blocks per document instead (tried first) made polls cheaper but held every
 * rendered byte in memory and made the allocator pay for documents nobody had asked for yet.
 *
 * What a collector is served of a job is kept by the allocator (allocation/pair.ts); a published body is
 * immutable.
 */
import { gzipSync } from "node:zlib"
import type { Published } from "../allocation/pair.ts"
import { renderTarget } from "../http/httpSd.ts"
import { compare, type Target } from "../targets/target.ts"

/**
 * Where documents are rendered: one buffer, grown as needed and reused. A document is written into it target by
 * target, so neither a document-sized string nor a fresh document-sized buffer is made per render; fresh memory
 * costs page faults, which on the benchmark machine were most of the time of a render.
 */
let scratch = Buffer.allocUnsafe(1 << 20)

const OPEN = 0x5b
const COMMA = 0x2c
const CLOSE = 0x5d

/** The document's targets, in a fresh array. */
const targetsOf = ({ base, gone, joined }: Published): Array<Target> => {
  if (gone.length === 0) return base.concat(joined)
  const left = new Map<Target, number>()
  for (const t of gone) left.set(t, (left.get(t) ?? 0) + 1)
  const out: Array<Target> = []
  for (const from of [base, joined]) {
    for (const t of from) {
      const n = left.get(t)
      if (n === undefined || n === 0) out.push(t)
      else left.set(t, n - 1)
    }
  }
  return out
}

/** Renders the document into the scratch buffer, valid until the next render. */
const renderScratch = (targets: Published): Buffer => {
  const sorted = targetsOf(targets).sort(compare)
  let at = 0
  scratch[at++] = OPEN
  for (let i = 0; i < sorted.length; i++) {
    const group = renderTarget(sorted[i]!)
    // Room for the group at 3 bytes per UTF-16 unit (the most UTF-8 takes), a comma and the closing bracket.
    if (scratch.length - at < group.length * 3 + 2) {
      const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + group.length * 3 + 2))
      scratch.copy(grown, 0, 0, at)
      scratch = grown
    }
    if (i > 0) scratch[at++] = COMMA
    at += scratch.write(group, at, "utf8")
  }
  scratch[at++] = CLOSE
  return scratch.subarray(0, at)
}

/** The document's bytes, rendered whole. */
const render = (targets: Published): Uint8Array => Buffer.from(renderScratch(targets))

/**
 * A published document: its targets as they were when published, rendered on demand. Level 1 gzip: a document is
 * compressed when it changes and is polled, and level 1 gets most of the ratio (JSON of repeated label names) for
 * a fraction of the CPU.
 */
export class HttpSdBody {
  readonly #targets: Published
  #plain: WeakRef<Uint8Array> | undefined
  #gzip: Uint8Array | undefined
  constructor(targets: Published) {
    this.#targets = targets
  }
  get gzip(): Uint8Array {
    // Not through the weak cache: a WeakRef holds its target until the current job ends, which would keep every
    // document rendered in one synchronous pass.
    return (this.#gzip ??= gzipSync(this.#plain?.deref() ?? renderScratch(this.#targets), { level: 1 }))
  }
  get bytes(): Uint8Array {
    const cached = this.#plain?.deref()
    if (cached !== undefined) return cached
    const bytes = render(this.#targets)
    this.#plain = new WeakRef(bytes)
    return bytes
  }
}

/** A document of `targets`, which must not change after. */
export const publish = (targets: Published): HttpSdBody => new HttpSdBody(targets)
