/**
 * The names a DNS lookup tries, as Prometheus's dns_sd does it (miekg/dns `ClientConfig.NameList` over
 * resolv.conf): a rooted name alone; otherwise each search domain appended, and the name itself first when it has
 * more labels than `ndots`, last when not. In a Kubernetes pod (`search <ns>.svc.cluster.local ...`, `ndots:5`)
 * this is what makes a short name such as `_http._tcp.my-svc` resolve.
 */

export interface ResolvConf {
  readonly search: ReadonlyArray<string>
  readonly ndots: number
}

export const defaultResolvConf: ResolvConf = { search: [], ndots: 1 }

const rooted = (name: string) => (name.endsWith(".") ? name : `${name}.`)

/** The `search`/`domain` list and `options ndots:` of a resolv.conf; the last `search` or `domain` line wins. */
export const parseResolvConf = (text: string): ResolvConf => {
  let search: ReadonlyArray<string> = []
  let ndots = 1
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/)
    switch (fields[0]) {
      case "domain":
        if (fields.length > 1) search = [rooted(fields[1]!)]
        break
      case "search":
        search = fields.slice(1)
        break
      case "options":
        for (const o of fields.slice(1)) {
          if (!o.startsWith("ndots:")) continue
          const n = Number.parseInt(o.slice(6), 10)
          ndots = Number.isNaN(n) || n < 0 ? 0 : Math.min(n, 15)
        }
    }
  }
  return { search, ndots }
}

const labelCount = (name: string) => name.split(".").filter((l) => l !== "").length

export const nameList = (name: string, conf: ResolvConf): ReadonlyArray<string> => {
  if (name.endsWith(".")) return [name]
  const enoughDots = labelCount(name) > conf.ndots
  const fqdn = rooted(name)
  const searched = conf.search.map((s) => rooted(fqdn + s))
  return enoughDots ? [fqdn, ...searched] : [...searched, fqdn]
}
