/**
 * The oldest Node.js the allocator runs on, checked first thing, so that an older one fails at start with a
 * message rather than serving broken answers: on Node 22.12, the HTTP server answered `/livez` and closed the
 * connection on `/jobs` and `/scrape_configs` without a byte, and said nothing. 22.19 is what `@effect/platform-node`
 * and `undici` require.
 */
export const minimumNode = "22.19.0"

/** Whether version `v` (`22.19.0`, with or without a leading `v`) is at least `minimum`. */
export const atLeast = (v: string, minimum: string): boolean => {
  const parse = (s: string) => s.replace(/^v/, "").split(".").map((n) => Number.parseInt(n, 10) || 0)
  const [a, b] = [parse(v), parse(minimum)]
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  return true
}

if (!atLeast(process.versions.node, minimumNode)) {
  process.stderr.write(`target-allocator needs Node.js ${minimumNode} or newer; this is ${process.version} (${process.execPath})\n`)
  process.exit(1)
}
