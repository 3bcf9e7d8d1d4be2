import { describe, expect, it } from "vitest"
import { goIPString } from "../../../src/discovery/dns/ipText.ts"
import { nameList, parseResolvConf } from "../../../src/discovery/dns/searchPath.ts"

describe("resolv.conf and the names a lookup tries (miekg/dns NameList)", () => {
  const pod = parseResolvConf(`# written by the kubelet
nameserver 10.96.0.10
search monitoring.svc.cluster.local svc.cluster.local cluster.local
options ndots:5
`)

  it("reads the search list and ndots", () => {
    expect(pod).toEqual({ search: ["monitoring.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5 })
    expect(parseResolvConf("nameserver 1.1.1.1\n")).toEqual({ search: [], ndots: 1 })
    expect(parseResolvConf("domain example.org\n").search).toEqual(["example.org."])
    expect(parseResolvConf("search a.org\ndomain b.org\n").search).toEqual(["b.org."]) // the last one wins
    expect(parseResolvConf("options ndots:99 rotate\n").ndots).toBe(15)
    expect(parseResolvConf("options ndots:x\n").ndots).toBe(0)
  })

  it("a short name goes through the search list first, then as written", () => {
    expect(nameList("_http._tcp.web", pod)).toEqual([
      "_http._tcp.web.monitoring.svc.cluster.local.",
      "_http._tcp.web.svc.cluster.local.",
      "_http._tcp.web.cluster.local.",
      "_http._tcp.web."
    ])
  })

  it("a name with more labels than ndots is tried as written first; a rooted name alone", () => {
    const conf = { search: ["example.org"], ndots: 1 }
    expect(nameList("db.internal", conf)).toEqual(["db.internal.", "db.internal.example.org."])
    expect(nameList("db", conf)).toEqual(["db.example.org.", "db."])
    expect(nameList("db.internal.", conf)).toEqual(["db.internal."])
  })
})

describe("IP addresses as Go's net.IP prints them", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["::ffff:10.0.0.1", "10.0.0.1"],
    ["::ffff:a00:1", "10.0.0.1"],
    ["::10.0.0.1", "::a00:1"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["fe80::", "fe80::"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"]
  ])("%s → %s", (text, go) => {
    expect(goIPString(text)).toBe(go)
  })
})
