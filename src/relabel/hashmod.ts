/** `hashmod`: MD5 of the value, its last 8 bytes read big-endian, modulo N, in decimal (as Prometheus). */
import { createHash } from "node:crypto"

export const hashmod = (value: string, modulus: bigint): string => {
  const digest = createHash("md5").update(value, "utf8").digest()
  return (digest.readBigUInt64BE(8) % modulus).toString()
}
