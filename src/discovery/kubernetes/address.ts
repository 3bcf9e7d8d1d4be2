/** Address helpers shared by the pod, service and node roles. */

/**
 * Go's `net.JoinHostPort`, which Prometheus uses for every `host:port` it builds: a host containing a colon (an IPv6
 * address) is put in brackets so the port stays unambiguous.
 *
 * Joined, not concatenated: V8 makes a concatenation of 13 characters or more a pair of references to its parts, and
 * the first hash of it (every target's address is hashed for its identity and its place on the ring) then copies the
 * characters out into a second string, kept alongside. A joined string is one flat string from the start: at a
 * million targets, about 60 MB less and a quarter of a second less in the first allocation (bench/README.md).
 */
export const joinHostPort = (host: string, port: string): string =>
  host.includes(":") ? ["[", host, "]:", port].join("") : [host, port].join(":")

/**
 * A Kubernetes `int32` port as Go formats it. The API always serves a number; an absent one is Go's zero value, `0`.
 */
export const portString = (port: number | undefined): string => String(port ?? 0)
