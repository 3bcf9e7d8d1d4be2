/**
 * The load generator of the HTTP_SD benchmark, in a process of its own: autocannon polls the HTTP_SD URLs of
 * `collectors` distinct collectors, as their Prometheus receivers would, and prints its results as JSON.
 * Arguments: base URL, job, collector count, connections, seconds.
 */
import autocannon from "autocannon"

const [url, job, collectors, connections, seconds] = process.argv.slice(2) as [string, string, string, string, string]
const count = Number(collectors)
let next = 0
const result = await autocannon({
  url,
  connections: Number(connections),
  // As the collector's Go HTTP client does.
  headers: { "accept-encoding": "gzip" },
  duration: Number(seconds),
  requests: [{
    setupRequest: (request) => ({ ...request, path: `/jobs/${encodeURIComponent(job)}/targets?collector_id=collector-${next++ % count}` })
  }]
})
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.non2xx,
  bytesPerSecond: result.throughput.average
}))
