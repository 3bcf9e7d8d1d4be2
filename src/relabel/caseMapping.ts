/**
 * Go's `strings.ToLower` and `strings.ToUpper`: one code point at a time, with Unicode's simple case mappings.
 *
 * JavaScript applies the full mappings of SpecialCasing.txt instead: `ß` becomes `SS`, `İ` becomes `i̇`, a final
 * `Σ` becomes `ς`. Go leaves `ß` alone, maps `İ` to `i` and `Σ` always to `σ`. For a single code point JavaScript's
 * mapping is the simple one whenever it yields one code point; the few that yield more are listed here with their
 * simple mapping from UnicodeData.txt (no mapping: the code point stays).
 */

// Greek letters with ypogegrammeni: the simple uppercase is the titlecase letter 8 code points on.
const simpleUpper = (cp: number): number => {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8
  if (cp === 0x1fb3) return 0x1fbc
  if (cp === 0x1fc3) return 0x1fcc
  if (cp === 0x1ff3) return 0x1ffc
  return cp
}

const simpleLower = (cp: number): number => (cp === 0x130 ? 0x69 : cp)

const mapEach = (s: string, full: (c: string) => string, simple: (cp: number) => number): string => {
  let out = ""
  for (const c of s) {
    const m = full(c)
    // One code point (one or two UTF-16 units) means the simple mapping.
    out += m.length === 1 || (m.length === 2 && m.codePointAt(0)! > 0xffff) ? m : String.fromCodePoint(simple(c.codePointAt(0)!))
  }
  return out
}

const ascii = /^[\x00-\x7f]*$/

export const goToLower = (s: string): string => (ascii.test(s) ? s.toLowerCase() : mapEach(s, (c) => c.toLowerCase(), simpleLower))

export const goToUpper = (s: string): string => (ascii.test(s) ? s.toUpperCase() : mapEach(s, (c) => c.toUpperCase(), simpleUpper))
