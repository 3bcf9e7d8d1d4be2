/**
 * One collector's HTTP_SD document for one job: a JSON array with one group per target, sorted by address then
 * identity so every poll of an unchanged assignment returns the same bytes (Prometheus names groups by their
 * index, and a reordered list would look like a change of every group).
 *
 * It is kept in that order as blocks of at most 32 targets, each holding its rendered bytes. When a block
 * changes, its new bytes are assembled from the old ones, rendering only the targets that joined: a change costs
 * one small copy and one render per new target, whatever the size of the document, and no per-target copy of the
 * bytes is kept (at a million targets the rendered groups are most of the memory). Publishing costs a list of
 * block references; the whole document is joined when a collector asks, and that join is cached weakly, so a busy
 * document is served from memory without the cache pinning it.
 *
 * Mutable, owned by the pipeline; what it publishes (`HttpSdBody`) is immutable.
 */
import { gzipSync } from "node:zlib"
import { renderTarget } from "../http/httpSd.ts"
import type { Target } from "../targets/target.ts"

const MAX_BLOCK = 32

interface Rendered {
  readonly bytes: Uint8Array
  /** The targets in `bytes`, in order. */
  readonly targets: ReadonlyArray<Target>
}

interface Block {
  readonly targets: Array<Target>
  /** The block as last rendered; `stale` once its targets changed since. */
  rendered: Rendered | undefined
  stale: boolean
}

export interface HttpSdDocument {
  readonly blocks: Array<Block>
  size: number
}

export const make = (): HttpSdDocument => ({ blocks: [], size: 0 })

const compare = (a: Target, b: Target): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.id - b.id)

/** The first block whose last target is not before `t` (the last block when there is none). */
const blockFor = (doc: HttpSdDocument, t: Target): number => {
  let lo = 0
  let hi = doc.blocks.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const targets = doc.blocks[mid]!.targets
    if (compare(targets[targets.length - 1]!, t) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

const lowerBound = (targets: ReadonlyArray<Target>, t: Target): number => {
  let lo = 0
  let hi = targets.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (compare(targets[mid]!, t) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

export const add = (doc: HttpSdDocument, t: Target): void => {
  if (doc.blocks.length === 0) {
    doc.blocks.push({ targets: [t], rendered: undefined, stale: true })
    doc.size = 1
    return
  }
  const k = blockFor(doc, t)
  const block = doc.blocks[k]!
  const i = lowerBound(block.targets, t)
  block.stale = true
  if (i < block.targets.length && compare(block.targets[i]!, t) === 0) {
    block.targets[i] = t
    return
  }
  block.targets.splice(i, 0, t)
  doc.size++
  if (block.targets.length > MAX_BLOCK) {
    // The new half starts from the old rendering too: its targets' groups are copied, not rendered again.
    doc.blocks.splice(k + 1, 0, { targets: block.targets.splice(MAX_BLOCK / 2), rendered: block.rendered, stale: true })
  }
}

export const remove = (doc: HttpSdDocument, t: Target): void => {
  if (doc.blocks.length === 0) return
  const k = blockFor(doc, t)
  const block = doc.blocks[k]!
  const i = lowerBound(block.targets, t)
  if (i === block.targets.length || compare(block.targets[i]!, t) !== 0) return
  block.targets.splice(i, 1)
  block.stale = true
  doc.size--
  if (block.targets.length === 0) doc.blocks.splice(k, 1)
}

const COMMA = 0x2c
/**
 * What separates two groups. It cannot occur inside one: a quote inside a label is escaped, so `{"targets":[` in
 * the bytes always starts a group, and the groups of a rendering can be found again without keeping offsets.
 */
const SEPARATOR = Buffer.from(`,{"targets":[`)

/** Where each group of `rendered` starts, and a last entry one past the end (as if a comma followed). */
const groupStarts = (rendered: Rendered): Int32Array => {
  const starts = new Int32Array(rendered.targets.length + 1)
  const bytes = Buffer.from(rendered.bytes.buffer, rendered.bytes.byteOffset, rendered.bytes.byteLength)
  let at = 0
  for (let i = 1; i < rendered.targets.length; i++) {
    at = bytes.indexOf(SEPARATOR, at)
    starts[i] = ++at
  }
  starts[rendered.targets.length] = bytes.length + 1
  return starts
}

/**
 * A block's bytes. The first time, one string encoded once. Afterwards, the groups of targets it had rendered are
 * copied in runs (both lists are in the same order), and only the others are rendered.
 */
const render = (block: Block): Rendered => {
  const previous = block.rendered
  const targets = [...block.targets]
  if (previous === undefined) return { bytes: Buffer.from(targets.map(renderTarget).join(",")), targets }
  const starts = groupStarts(previous)
  // Pieces in order: [from, to) ranges of the previous bytes, or freshly rendered groups.
  const pieces: Array<Uint8Array | readonly [number, number]> = []
  let size = 0
  let j = 0
  for (const t of targets) {
    while (j < previous.targets.length && previous.targets[j] !== t && compare(previous.targets[j]!, t) <= 0) j++
    if (previous.targets[j] === t) {
      const last = pieces[pieces.length - 1]
      const from = starts[j]!
      const to = starts[j + 1]! - 1
      // Groups that were neighbours stay one copy.
      if (Array.isArray(last) && last[1] + 1 === from) {
        pieces[pieces.length - 1] = [last[0], to]
        size += to - last[1]
      } else {
        pieces.push([from, to])
        size += to - from
      }
      j++
    } else {
      const bytes = Buffer.from(renderTarget(t))
      pieces.push(bytes)
      size += bytes.length
    }
  }
  // A run of neighbours carries its inner commas; every other boundary needs one.
  const out = Buffer.allocUnsafe(size + pieces.length - 1)
  let at = 0
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) out[at++] = COMMA
    if (piece instanceof Uint8Array) {
      out.set(piece, at)
      at += piece.length
    } else {
      out.set(previous.bytes.subarray(piece[0], piece[1]), at)
      at += piece[1] - piece[0]
    }
  }
  return { bytes: out, targets }
}

const OPEN = 0x5b
const CLOSE = 0x5d

/**
 * A published document: its blocks' bytes, joined when served. Collectors' HTTP clients (Go's) ask for gzip; the
 * compressed document is made the first time it is asked for and kept (a tenth of the size), which also spares the
 * loopback or the network most of the bytes.
 */
export class HttpSdBody {
  readonly #blocks: ReadonlyArray<Uint8Array>
  #joined: WeakRef<Uint8Array> | undefined
  #gzip: Uint8Array | undefined
  constructor(blocks: ReadonlyArray<Uint8Array>) {
    this.#blocks = blocks
  }
  get gzip(): Uint8Array {
    return (this.#gzip ??= gzipSync(this.bytes, { level: 1 }))
  }
  get bytes(): Uint8Array {
    const cached = this.#joined?.deref()
    if (cached !== undefined) return cached
    let size = this.#blocks.length + (this.#blocks.length === 0 ? 2 : 1)
    for (const b of this.#blocks) size += b.length
    const out = Buffer.allocUnsafe(size)
    out[0] = OPEN
    let at = 1
    for (const [i, b] of this.#blocks.entries()) {
      if (i > 0) out[at++] = COMMA
      out.set(b, at)
      at += b.length
    }
    out[at] = CLOSE
    this.#joined = new WeakRef(out)
    return out
  }
}

/** The document as it is now, rendering the blocks that changed. */
export const publish = (doc: HttpSdDocument): HttpSdBody =>
  new HttpSdBody(doc.blocks.map((b) => {
    if (b.stale || b.rendered === undefined) {
      b.rendered = render(b)
      b.stale = false
    }
    return b.rendered.bytes
  }))
