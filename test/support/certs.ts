/** Throwaway certificates for mTLS tests, made with the openssl command line (loopback names only). */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const opensslAvailable = spawnSync("openssl", ["version"]).status === 0

const openssl = (args: ReadonlyArray<string>, cwd: string) => {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" })
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`)
}

export interface Pki {
  readonly dir: string
  readonly path: (name: string) => string
  readonly read: (name: string) => Buffer
  /** A CA: `<name>.crt`, `<name>.key`. */
  readonly ca: (name: string) => void
  /** A leaf signed by `ca`: `<name>.crt`, `<name>.key`, with the given extended key usage. */
  readonly leaf: (name: string, ca: string, usage: "serverAuth" | "clientAuth", cn?: string) => void
}

export const makePki = (): Pki => {
  const dir = mkdtempSync(join(tmpdir(), "ta-pki-"))
  return {
    dir,
    path: (name) => join(dir, name),
    read: (name) => readFileSync(join(dir, name)),
    ca: (name) => {
      openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.crt`,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir)
    },
    leaf: (name, ca, usage, cn = name) => {
      writeFileSync(join(dir, `${name}.ext`), [
        "basicConstraints=CA:FALSE",
        `extendedKeyUsage=${usage}`,
        "subjectAltName=IP:127.0.0.1,DNS:localhost"
      ].join("\n"))
      openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${cn}`,
        "-keyout", `${name}.key`, "-out", `${name}.csr`], dir)
      openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial",
        "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.crt`], dir)
    }
  }
}
