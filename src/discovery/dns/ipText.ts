/**
 * IP addresses as Go's `net.IP.String()` prints them, since Prometheus builds `__address__` from that text: an
 * IPv4-mapped IPv6 address prints as plain IPv4, and any other IPv6 address in RFC 5952 form (lower-case hex, the
 * first longest run of two or more zero groups as `::`, never a dotted tail). Node's resolver prints embedded IPv4
 * in dotted form (`::ffff:10.0.0.1`, `::10.0.0.1`), which Go does not.
 */

/** The 16 bytes of an IPv6 address in any valid text form, or undefined. */
const parseIPv6 = (text: string): Uint8Array | undefined => {
  let s = text
  const tail: Array<number> = []
  const dotted = /(?:^|:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s)
  if (dotted !== null) {
    const quad = dotted.slice(1).map(Number)
    if (quad.some((b) => b > 255)) return undefined
    tail.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!)
    s = s.slice(0, s.length - dotted[0].length + (dotted[0].startsWith(":") ? 1 : 0))
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1)
  }
  const halves = s.split("::")
  if (halves.length > 2) return undefined
  const groups = (h: string) => (h === "" ? [] : h.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)))
  const head = groups(halves[0]!)
  const rest = halves.length === 2 ? groups(halves[1]!) : []
  const known = head.length + rest.length + tail.length
  if ([...head, ...rest].some(Number.isNaN) || known > 8 || (halves.length === 1 && known !== 8)) return undefined
  const all = [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail]
  const bytes = new Uint8Array(16)
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8
    bytes[2 * i + 1] = g & 0xff
  })
  return bytes
}

export const goIPString = (text: string): string => {
  if (!text.includes(":")) return text
  const b = parseIPv6(text)
  if (b === undefined) return text
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!)
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8;) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = (gs: ReadonlyArray<number>) => gs.map((g) => g.toString(16)).join(":")
  return bestStart < 0 ? hex(groups) : `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`
}
