/**
 * JSON as Go's `encoding/json` writes it, so our output can be compared byte for byte with Go tools'.
 */
const goEscaped = /[<>&\u2028\u2029]/
const goEscapedAll = /[<>&\u2028\u2029]/g

/**
 * A string as Go quotes it: as JavaScript does, and `<`, `>`, `&`, U+2028 and U+2029 escaped besides. (Label values
 * are valid UTF-8: no lone surrogates, which the two would differ on.) Most strings have none of the five: a test
 * is cheaper than a replace.
 */
export const goString = (s: string): string => {
  const quoted = JSON.stringify(s)
  return goEscaped.test(quoted)
    ? quoted.replace(goEscapedAll, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    : quoted
}

const encoder = new TextEncoder()
export const utf8 = (s: string): Uint8Array => encoder.encode(s)

/** The ASCII characters a quoted string holds as they are: not a control character, `"`, `\`, `<`, `>` or `&`. */
const verbatim = new Uint8Array(128).map((_, c) => (c >= 0x20 && !`"\\<>&`.includes(String.fromCharCode(c)) ? 1 : 0))

/**
 * JSON text as UTF-8 bytes, appended to a buffer that grows: hundreds of megabytes of output are written without
 * making a string per piece, which would then have to be joined and encoded.
 */
export class JsonBytes {
  private buffer = new Uint8Array(1 << 16)
  length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + n))
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length)
    this.buffer.set(b, this.length)
    this.length += b.length
  }

  /** `goString(s)`, encoded. ASCII that needs no escape, most of any label, is copied a character at a time. */
  string(s: string): void {
    // The most one UTF-16 unit can take: six bytes (`\u2028`, `\u003c`).
    this.reserve(6 * s.length + 2)
    const buffer = this.buffer
    let at = this.length
    buffer[at++] = 0x22
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c < 128 && verbatim[c] === 1) {
        buffer[at++] = c
      } else {
        // Escapes or non-ASCII from here: what precedes is ASCII, so the rest quotes as it would within the whole.
        this.length = at + encoder.encodeInto(goString(s.slice(i)).slice(1), buffer.subarray(at)).written
        return
      }
    }
    buffer[at++] = 0x22
    this.length = at
  }

  /** The bytes written since the last `take`; they are overwritten by the next write, so use them before. */
  take(): Uint8Array {
    const out = this.buffer.subarray(0, this.length)
    this.length = 0
    return out
  }
}
