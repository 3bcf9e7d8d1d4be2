/** Go-style listen addresses (`:8080`, `127.0.0.1:0`, `[::1]:8080`, `localhost:8080`). */
export interface ListenAddress {
  /** `undefined` listens on every interface, as Go does for an empty host. */
  readonly host: string | undefined
  readonly port: number
}

export const parseListenAddress = (addr: string): ListenAddress | undefined => {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr)
  if (m === null) return undefined
  const port = Number(m[3])
  if (port > 65535) return undefined
  const host = m[1] ?? m[2]
  return { host: host === "" ? undefined : host, port }
}
