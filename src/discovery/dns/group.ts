/** `dns_sd_configs`: the target group of one name from its DNS answer, with Prometheus's `__meta_dns_*` labels. */
import * as L from "../../labels/labels.ts"
import type { TargetGroup } from "../targetGroup.ts"
import { goIPString } from "./ipText.ts"

export type DnsAnswer =
  | { readonly type: "SRV"; readonly target: string; readonly port: number }
  | { readonly type: "MX" | "NS"; readonly target: string }
  | { readonly type: "A" | "AAAA"; readonly address: string }

/** Go's `net.JoinHostPort`: an IPv6 address gets brackets. */
const joinHostPort = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`)

/** A name as DNS answers it: fully qualified, with the final dot (our resolver drops it; Prometheus keeps it). */
const rooted = (name: string) => (name.endsWith(".") ? name : `${name}.`)

export const dnsGroup = (name: string, port: number, answers: ReadonlyArray<DnsAnswer>): TargetGroup => ({
  source: name,
  labels: L.empty,
  targets: answers.flatMap((a) => {
    const labels: Record<string, string> = { __meta_dns_name: name }
    switch (a.type) {
      case "SRV":
        labels["__meta_dns_srv_record_target"] = rooted(a.target)
        labels["__meta_dns_srv_record_port"] = String(a.port)
        labels["__address__"] = joinHostPort(a.target.replace(/\.$/, ""), a.port)
        break
      case "MX":
        labels["__meta_dns_mx_record_target"] = rooted(a.target)
        labels["__address__"] = joinHostPort(a.target.replace(/\.$/, ""), port)
        break
      case "NS":
        labels["__meta_dns_ns_record_target"] = rooted(a.target)
        labels["__address__"] = joinHostPort(a.target.replace(/\.$/, ""), port)
        break
      default:
        labels["__address__"] = joinHostPort(goIPString(a.address), port)
    }
    return [L.fromRecord(labels)]
  })
})
