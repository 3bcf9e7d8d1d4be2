/**
 * A minimal HTTP/1.1 load generator for the HTTP_SD benchmark, in a process of its own: keep-alive connections,
 * each sending a GET for the next collector's HTTP_SD URL as soon as the previous answer is complete (no
 * pipelining), as a fleet of collectors polling would. It reads only the status line, `content-length` and the
 * body's length, so one core drives far more requests than autocannon, which on this machine saturates its core at
 * about 6k requests/s of distinct gzip bodies whatever the server (bench/README.md). Prints its results as JSON.
 * Arguments: base URL, job, collector count, connections, seconds.
 */
import { connect, type Socket } from "node:net"

const [base, job, collectors, connections, seconds] = process.argv.slice(2) as [string, string, string, string, string]
const url = new URL(base)
const count = Number(collectors)
const until = performance.now() + Number(seconds) * 1000
const latencies: Array<number> = []
let bytes = 0
let errors = 0
let next = 0

const HEAD_END = Buffer.from("\r\n\r\n")

const requestFor = (collector: number): Buffer =>
  Buffer.from(
    `GET /jobs/${encodeURIComponent(job)}/targets?collector_id=collector-${collector} HTTP/1.1\r\n` +
      `Host: ${url.host}\r\nAccept-Encoding: gzip\r\nUser-Agent: httpLoad\r\n\r\n`,
    "latin1"
  )

/** One connection: resolves when it has stopped after the deadline. */
const drive = (): Promise<void> =>
  new Promise((resolve) => {
    const socket: Socket = connect(Number(url.port), url.hostname)
    socket.setNoDelay(true)
    let buffered: Buffer = Buffer.alloc(0)
    let sentAt = 0
    // -1 while reading the head; otherwise the body bytes still to come.
    let remaining = -1
    const send = () => {
      if (performance.now() >= until) {
        socket.end()
        return
      }
      sentAt = performance.now()
      socket.write(requestFor(next++ % count))
    }
    socket.on("connect", send)
    socket.on("data", (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      for (;;) {
        if (remaining < 0) {
          const end = buffered.indexOf(HEAD_END)
          if (end < 0) return
          const head = buffered.toString("latin1", 0, end)
          if (!head.startsWith("HTTP/1.1 200 ")) errors++
          const length = /\r\ncontent-length: *(\d+)/i.exec(head)
          if (length === null) {
            errors++
            socket.destroy()
            return
          }
          remaining = Number(length[1])
          buffered = buffered.subarray(end + HEAD_END.length)
        }
        if (buffered.length < remaining) return
        bytes += remaining
        buffered = buffered.subarray(remaining)
        remaining = -1
        latencies.push(performance.now() - sentAt)
        send()
      }
    })
    socket.on("error", () => {
      errors++
      resolve()
    })
    socket.on("close", () => resolve())
  })

const started = performance.now()
await Promise.all(Array.from({ length: Number(connections) }, drive))
const elapsed = (performance.now() - started) / 1000
latencies.sort((a, b) => a - b)
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
process.stdout.write(JSON.stringify({
  requestsPerSecond: latencies.length / elapsed,
  p50: at(0.5),
  p99: at(0.99),
  errors,
  bytesPerSecond: bytes / elapsed
}))
