/** Address helpers shared by the pod, service and node roles. */

/**
 * Go's `net.JoinHostPort`, which Prometheus uses for every `host:port` it builds: a host containing a colon (an IPv6
 * address) is put in brackets so the port stays unambiguous.
 */
export const joinHostPort = (host: string, port: string): string => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`)

/**
 * A Kubernetes `int32` port as Go formats it. The API always serves a number; an absent one is Go's zero value, `0`.
 */
export const portString = (port: number | undefined): string => String(port ?? 0)
