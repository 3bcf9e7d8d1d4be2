/**
 * A fast, well-mixed 53-bit hash of strings, built from two independent 32-bit lanes.
 *
 * 53 bits fit a JavaScript number exactly, so hashes are cheap Map keys. Two targets of one job collide with
 * probability n²/2⁵⁴ (about 5e-7 for a 100k-target job), the same order as upstream's 64-bit xxhash.
 */
export interface Hasher {
  h1: number
  h2: number
}

const P1 = 0x9e3779b1
const P2 = 0x85ebca77
const P3 = 0xc2b2ae3d
const P4 = 0x27d4eb2f

export const start = (seed = 0): Hasher => ({ h1: (0x165667b1 ^ seed) | 0, h2: (0x61c88647 ^ seed) | 0 })

/** Mixes one field; its length goes in first, so a sequence of fields hashes unambiguously. */
export const update = (h: Hasher, s: string): void => {
  let h1 = Math.imul(h.h1 ^ s.length, P3)
  let h2 = Math.imul(h.h2 ^ s.length, P4)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, P1)
    h2 = Math.imul(h2 ^ c, P2)
    h1 ^= h1 >>> 15
    h2 ^= h2 >>> 13
  }
  h.h1 = h1
  h.h2 = h2
}

export const finish = (h: Hasher): number => {
  let h1 = h.h1
  let h2 = h.h2
  h1 = Math.imul(h1 ^ (h1 >>> 16), P3)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), P4)
  h2 = Math.imul(h2 ^ (h2 >>> 16), P3)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), P4)
  h1 ^= h1 >>> 16
  return (h2 & 0x1fffff) * 0x100000000 + (h1 >>> 0)
}

export const hashString = (s: string, seed = 0): number => {
  const h = start(seed)
  update(h, s)
  return finish(h)
}
