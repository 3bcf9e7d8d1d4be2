/**
 * One collector's HTTP_SD document for one job: a JSON array with one group per target, sorted by address then
 * identity so every poll of an unchanged assignment returns the same bytes (Prometheus names groups by their
 * index, and a reordered list would look like a change of every group).
 *
 * It is kept in that order as blocks
 * of at most 128 targets whose bytes are rendered only when they changed. A target added or removed costs one
 * block; publishing costs a list of block references; the whole document is joined only when a collector asks.
 * With 20k targets, re-rendering whole documents on every pod update is what made an update cost tens of ms.
 *
 * Mutable, owned by the pipeline; what it publishes (`HttpSdBody`) is immutable.
 */
import { targetBytes } from "../http/httpSd.ts"
import type { Target } from "../targets/target.ts"

const MAX_BLOCK = 128

interface Block {
  readonly targets: Array<Target>
  /** The block's groups joined by commas; undefined when it changed since it was rendered. */
  bytes: Uint8Array | undefined
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
    doc.blocks.push({ targets: [t], bytes: undefined })
    doc.size = 1
    return
  }
  const k = blockFor(doc, t)
  const block = doc.blocks[k]!
  const i = lowerBound(block.targets, t)
  block.bytes = undefined
  if (i < block.targets.length && compare(block.targets[i]!, t) === 0) {
    block.targets[i] = t
    return
  }
  block.targets.splice(i, 0, t)
  doc.size++
  if (block.targets.length > MAX_BLOCK) doc.blocks.splice(k + 1, 0, { targets: block.targets.splice(MAX_BLOCK / 2), bytes: undefined })
}

export const remove = (doc: HttpSdDocument, t: Target): void => {
  if (doc.blocks.length === 0) return
  const k = blockFor(doc, t)
  const block = doc.blocks[k]!
  const i = lowerBound(block.targets, t)
  if (i === block.targets.length || compare(block.targets[i]!, t) !== 0) return
  block.targets.splice(i, 1)
  block.bytes = undefined
  doc.size--
  if (block.targets.length === 0) doc.blocks.splice(k, 1)
}

const OPEN = 0x5b
const COMMA = 0x2c
const CLOSE = 0x5d

/** `parts` joined by commas, between `open` and `close` when given. */
const join = (parts: ReadonlyArray<Uint8Array>, open?: number, close?: number): Uint8Array => {
  let size = Math.max(0, parts.length - 1) + (open === undefined ? 0 : 2)
  for (const p of parts) size += p.length
  const out = Buffer.allocUnsafe(size)
  let at = 0
  if (open !== undefined) out[at++] = open
  for (const [i, p] of parts.entries()) {
    if (i > 0) out[at++] = COMMA
    out.set(p, at)
    at += p.length
  }
  if (close !== undefined) out[at] = close
  return out
}

/** A published document: its blocks' bytes, joined into one body the first time it is served. */
export class HttpSdBody {
  readonly #blocks: ReadonlyArray<Uint8Array>
  #joined: Uint8Array | undefined
  constructor(blocks: ReadonlyArray<Uint8Array>) {
    this.#blocks = blocks
  }
  get bytes(): Uint8Array {
    return (this.#joined ??= join(this.#blocks, OPEN, CLOSE))
  }
}

/** The document as it is now, rendering the blocks that changed; `bytesOf` may cache each target's bytes. */
export const publish = (doc: HttpSdDocument, bytesOf: (t: Target) => Uint8Array = targetBytes): HttpSdBody =>
  new HttpSdBody(doc.blocks.map((b) => (b.bytes ??= join(b.targets.map(bytesOf)))))
