/**
 * `npm run build` (`node build.ts [outdir]`): the program as an ESM bundle, dist/main.mjs. Node starts it in about a
 * third of the CPU it takes to load the TypeScript sources (type-stripping hundreds of modules one by one), and it
 * needs no node_modules at run time: the container and the Nix package ship dist/ alone.
 */
import { build } from "esbuild"
import { rmSync } from "node:fs"
import { join } from "node:path"

const outdir = process.argv[2] ?? join(import.meta.dirname, "dist")

// Chunk names carry a content hash: without this, every build would leave the previous chunks behind.
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: [join(import.meta.dirname, "layers", "main.ts")],
  outdir,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // `@kubernetes/client-node` is imported dynamically (layers/kubernetes/clientNode.ts); split into a chunk of its
  // own, it is read only when a job uses Kubernetes, and then in 0.6 s of CPU where its package's files take 1.1 s.
  splitting: true,
  // ESM whatever the nearest package.json says, so that dist/ runs on its own.
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  // The CommonJS dependencies (undici, ws, client-node) require() Node's modules, which ESM does not define.
  banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);` },
  // Mappings only (stack traces under --enable-source-maps): the sources' text would triple the maps' size.
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning"
})
