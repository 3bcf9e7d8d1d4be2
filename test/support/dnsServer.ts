/**
 * A tiny authoritative DNS server for tests: UDP on 127.0.0.1, an in-memory zone that tests change between queries,
 * written from the wire format of RFC 1035 (header, question, resource records, name compression), RFC 2782 (SRV)
 * and RFC 3596 (AAAA).
 *
 * - A name with records of some type answers those (owner compressed as a pointer to the question); a name known
 *   with no records of the asked type answers NOERROR with no answers (NODATA); an unknown name answers NXDOMAIN.
 * - CNAME: a name with a CNAME answers it for every other type, then follows the chain inside the zone, as an
 *   authoritative server does for in-zone targets.
 * - `failNext(name, times)` answers SERVFAIL to the next `times` queries for that name, of any type.
 * - Every query is logged (name as asked, type, rcode), so tests can count what the resolver really sent.
 * - EDNS (the OPT record resolvers add) is read past and not echoed, as a server without EDNS does (RFC 6891 §7).
 * - Not modelled: TCP (answers are assumed to fit a datagram; nothing is ever truncated), zone transfers, SOA and
 *   negative-caching TTLs, DNSSEC, opcodes other than QUERY (answered NOTIMP), more than one question (FORMERR).
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram"
import { isIPv4, isIPv6 } from "node:net"

export interface SrvRecord { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
export interface MxRecord { readonly preference: number; readonly exchange: string }

export interface RecordsByType {
  readonly SRV: SrvRecord
  readonly A: string
  readonly AAAA: string
  readonly MX: MxRecord
  readonly NS: string
  readonly CNAME: string
}
export type RecordType = keyof RecordsByType

export const TYPE_CODES: Readonly<Record<RecordType, number>> = { A: 1, NS: 2, CNAME: 5, MX: 15, AAAA: 28, SRV: 33 }
const TYPE_NAMES = new Map<number, RecordType>(Object.entries(TYPE_CODES).map(([n, c]) => [c, n as RecordType]))

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const

export interface QueryLogEntry {
  /** As it came on the wire, without the final dot. */
  readonly name: string
  /** The record type's name, or its number if this server does not know it. */
  readonly type: RecordType | number
  readonly rcode: number
}

export interface DnsServer {
  readonly port: number
  /** `127.0.0.1:<port>`, as `Resolver.setServers` takes it. */
  readonly address: string
  /** Replaces the records of one type of `name`; `[]` keeps the name known (NODATA for that type). */
  readonly setRecords: <T extends RecordType>(name: string, type: T, records: ReadonlyArray<RecordsByType[T]>) => void
  /** Forgets every record of `name`: it answers NXDOMAIN. */
  readonly remove: (name: string) => void
  /** The next `times` queries for `name` are answered SERVFAIL. */
  readonly failNext: (name: string, times?: number) => void
  /** TTL of the records answered from now on (default 0, so that no resolver can cache them). */
  readonly setTtl: (seconds: number) => void
  readonly queries: ReadonlyArray<QueryLogEntry>
  readonly clearLog: () => void
  readonly close: () => Promise<void>
}

/** Zone keys: lower case, no final dot (DNS names compare case-insensitively). */
const key = (name: string) => name.replace(/\.$/, "").toLowerCase()

// ---------------------------------------------------------------------------------------------------------------------
// Wire format

class FormatError extends Error {}

/** Reads a name at `offset`, following compression pointers (RFC 1035 §4.1.4); returns it and the offset after it. */
export const readName = (msg: Buffer, offset: number): { name: string; end: number } => {
  const labels: Array<string> = []
  let pos = offset
  let end = -1
  let jumps = 0
  for (;;) {
    if (pos >= msg.length) throw new FormatError("name runs past the message")
    const len = msg[pos]!
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msg.length) throw new FormatError("truncated pointer")
      if (++jumps > 64) throw new FormatError("compression loop")
      if (end < 0) end = pos + 2
      pos = ((len & 0x3f) << 8) | msg[pos + 1]!
      continue
    }
    if ((len & 0xc0) !== 0) throw new FormatError("reserved label type")
    if (len === 0) {
      if (end < 0) end = pos + 1
      break
    }
    if (pos + 1 + len > msg.length) throw new FormatError("label runs past the message")
    labels.push(msg.toString("latin1", pos + 1, pos + 1 + len))
    pos += 1 + len
  }
  return { name: labels.join("."), end }
}

/** A name uncompressed: RFC 2782 forbids compressing an SRV target, and nothing is gained elsewhere. */
export const encodeName = (name: string): Buffer => {
  const trimmed = name.replace(/\.$/, "")
  if (trimmed === "") return Buffer.from([0])
  const parts = trimmed.split(".").map((label) => {
    const bytes = Buffer.from(label, "latin1")
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`bad label in ${JSON.stringify(name)}`)
    return Buffer.concat([Buffer.from([bytes.length]), bytes])
  })
  return Buffer.concat([...parts, Buffer.from([0])])
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

const ipv4Bytes = (address: string): Buffer => {
  if (!isIPv4(address)) throw new Error(`not an IPv4 address: ${address}`)
  return Buffer.from(address.split(".").map(Number))
}

/** RFC 4291 §2.2 text forms: `::` shortening and a dotted IPv4 tail. */
export const ipv6Bytes = (address: string): Buffer => {
  if (!isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`)
  const groups = (part: string): Array<number> => {
    if (part === "") return []
    const out: Array<number> = []
    for (const g of part.split(":")) {
      if (g.includes(".")) {
        const v4 = ipv4Bytes(g)
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else out.push(parseInt(g, 16))
    }
    return out
  }
  const [head = "", tail] = address.split("::")
  const h = groups(head)
  const t = tail === undefined ? [] : groups(tail)
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]
  const b = Buffer.alloc(16)
  all.forEach((g, i) => b.writeUInt16BE(g, 2 * i))
  return b
}

const rdata = (type: RecordType, record: RecordsByType[RecordType]): Buffer => {
  switch (type) {
    case "A": return ipv4Bytes(record as string)
    case "AAAA": return ipv6Bytes(record as string)
    case "NS":
    case "CNAME": return encodeName(record as string)
    case "MX": {
      const mx = record as MxRecord
      return Buffer.concat([u16(mx.preference), encodeName(mx.exchange)])
    }
    case "SRV": {
      const srv = record as SrvRecord
      return Buffer.concat([u16(srv.priority), u16(srv.weight), u16(srv.port), encodeName(srv.target)])
    }
  }
}

/** One resource record; `owner` is either an encoded name or a compression pointer. */
const resourceRecord = (owner: Buffer, type: RecordType, ttl: number, data: Buffer): Buffer => {
  const fixed = Buffer.alloc(10)
  fixed.writeUInt16BE(TYPE_CODES[type], 0)
  fixed.writeUInt16BE(1, 2) // class IN
  fixed.writeUInt32BE(ttl, 4)
  fixed.writeUInt16BE(data.length, 8)
  return Buffer.concat([owner, fixed, data])
}

const header = (id: number, flags: number, qd: number, an: number) => {
  const b = Buffer.alloc(12)
  b.writeUInt16BE(id, 0)
  b.writeUInt16BE(flags, 2)
  b.writeUInt16BE(qd, 4)
  b.writeUInt16BE(an, 6)
  return b // NSCOUNT and ARCOUNT stay 0
}

// ---------------------------------------------------------------------------------------------------------------------
// The server

export const startDnsServer = async (): Promise<DnsServer> => {
  const zone = new Map<string, Map<RecordType, ReadonlyArray<unknown>>>()
  const failing = new Map<string, number>()
  const log: Array<QueryLogEntry> = []
  let ttl = 0

  /** The answer records for `qname`/`qtype`, following in-zone CNAMEs; undefined if the name is unknown. */
  const lookup = (qname: string, qtype: number): Array<Buffer> | undefined => {
    const out: Array<Buffer> = []
    let name = qname
    let owner: Buffer = Buffer.from([0xc0, 0x0c]) // a pointer to the question's name, at offset 12
    for (let hops = 0; hops < 8; hops++) {
      const records = zone.get(key(name))
      if (records === undefined) return hops === 0 ? undefined : out
      const cname = records.get("CNAME")
      const wanted = TYPE_NAMES.get(qtype)
      if (cname !== undefined && cname.length > 0 && wanted !== "CNAME") {
        const target = cname[0] as string
        out.push(resourceRecord(owner, "CNAME", ttl, rdata("CNAME", target)))
        name = target
        owner = encodeName(target)
        continue
      }
      if (wanted !== undefined) {
        for (const r of records.get(wanted) ?? []) out.push(resourceRecord(owner, wanted, ttl, rdata(wanted, r as never)))
      }
      return out
    }
    return out
  }

  const answer = (msg: Buffer): Buffer | undefined => {
    if (msg.length < 12) return undefined
    const id = msg.readUInt16BE(0)
    const flags = msg.readUInt16BE(2)
    if (flags & 0x8000) return undefined // a response: never answer those
    const opcode = (flags >> 11) & 0xf
    const rd = flags & 0x0100
    const reply = (rcode: number, question: Buffer | undefined, answers: ReadonlyArray<Buffer> = []) =>
      Buffer.concat([
        header(id, 0x8000 | (opcode << 11) | 0x0400 /* AA */ | rd | rcode, question ? 1 : 0, answers.length),
        ...(question ? [question] : []),
        ...answers
      ])
    if (opcode !== 0) return reply(RCODE.NOTIMP, undefined)
    if (msg.readUInt16BE(4) !== 1) return reply(RCODE.FORMERR, undefined)
    let question: Buffer
    let qname: string
    let qtype: number
    try {
      const { name, end } = readName(msg, 12)
      if (end + 4 > msg.length) throw new FormatError("truncated question")
      qname = name
      qtype = msg.readUInt16BE(end)
      // The question goes back as asked (case included, which resolvers check), but always uncompressed.
      question = Buffer.concat([encodeName(name), msg.subarray(end, end + 4)])
    } catch (e) {
      if (e instanceof FormatError) return reply(RCODE.FORMERR, undefined)
      throw e
    }
    const entry = (rcode: number) => log.push({ name: qname, type: TYPE_NAMES.get(qtype) ?? qtype, rcode })
    const failures = failing.get(key(qname)) ?? 0
    if (failures > 0) {
      failing.set(key(qname), failures - 1)
      entry(RCODE.SERVFAIL)
      return reply(RCODE.SERVFAIL, question)
    }
    const answers = lookup(qname, qtype)
    if (answers === undefined) {
      entry(RCODE.NXDOMAIN)
      return reply(RCODE.NXDOMAIN, question)
    }
    entry(RCODE.NOERROR)
    return reply(RCODE.NOERROR, question, answers)
  }

  const socket: Socket = createSocket("udp4")
  socket.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
    const out = answer(msg)
    if (out !== undefined) socket.send(out, rinfo.port, rinfo.address)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject)
    socket.bind(0, "127.0.0.1", () => {
      socket.off("error", reject)
      resolve()
    })
  })
  const port = socket.address().port

  return {
    port,
    address: `127.0.0.1:${port}`,
    setRecords: (name, type, records) => {
      // Fail now, in the test, rather than at query time inside the socket handler.
      for (const r of records) rdata(type, r)
      const k = key(name)
      const types = zone.get(k) ?? new Map<RecordType, ReadonlyArray<unknown>>()
      types.set(type, [...records])
      zone.set(k, types)
    },
    remove: (name) => void zone.delete(key(name)),
    failNext: (name, times = 1) => void failing.set(key(name), (failing.get(key(name)) ?? 0) + times),
    setTtl: (seconds) => {
      ttl = seconds
    },
    get queries() {
      return log
    },
    clearLog: () => {
      log.length = 0
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve()))
  }
}
