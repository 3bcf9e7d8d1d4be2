/**
 * Go's `url.QueryEscape` and `url.QueryUnescape`. The collector puts `QueryEscape(job)` into the path of its
 * HTTP_SD URL, so the allocator must decode that path segment with query rules: `+` is a space, `%2F` a slash.
 */
const unreserved = /^[A-Za-z0-9\-_.~]$/
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const queryEscape = (s: string): string => {
  let out = ""
  for (const ch of s) {
    if (ch === " ") out += "+"
    else if (unreserved.test(ch)) out += ch
    else for (const b of encoder.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return out
}

export class InvalidEscape {
  readonly _tag = "InvalidEscape"
  readonly message: string
  constructor(escape: string) {
    this.message = `invalid URL escape ${JSON.stringify(escape)}`
  }
}

const hex = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1

/**
 * `s` is a request target as Node's HTTP parser hands it over: one character per byte, so characters from
 * U+0080 to U+00FF are raw bytes of the client's UTF-8.
 */
export const queryUnescape = (s: string): string | InvalidEscape => {
  if (!/[%\u0080-\uffff]/.test(s)) return s.replaceAll("+", " ")
  const bytes: Array<number> = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 37) {
      const h = i + 2 < s.length ? hex(s.charCodeAt(i + 1)) : -1
      const l = h >= 0 ? hex(s.charCodeAt(i + 2)) : -1
      if (l < 0) return new InvalidEscape(s.slice(i, i + 3))
      bytes.push(h * 16 + l)
      i += 2
    } else if (c === 43) bytes.push(32)
    else if (c < 256) bytes.push(c)
    else for (const b of encoder.encode(String.fromCharCode(c))) bytes.push(b)
  }
  return decoder.decode(Uint8Array.from(bytes))
}
