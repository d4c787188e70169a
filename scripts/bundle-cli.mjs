/**
 * Bundles the CLI (tsc's output under dist/src) for fast start-up; `npm run build` runs it after
 * tsc. Writes dist/cli/skiff.cjs (the launcher bin/skiff runs) and dist/cli/skiff-main.cjs (the
 * whole CLI in one CommonJS file: esbuild turns each lazily imported command module, and the
 * node: modules it needs, into code that runs only when the command does), then warms a V8 code
 * cache for the bundle (dist/cli/skiff-main.cjs.cache) by running a few commands through it.
 *
 *   node scripts/bundle-cli.mjs
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild-wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // npm packages stay in node_modules, required only by the commands that use them.
  packages: 'external',
  logLevel: 'warning',
  // Minified: half the bytes to read, and a smaller code cache to deserialise.
  minify: true,
  charset: 'ascii',
  legalComments: 'none',
  // CommonJS has no import.meta; the modules only use its url (to find files next to them).
  define: { 'import.meta.url': '__skiffModuleUrl' },
  banner: { js: 'var __skiffModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};
await esbuild.build({ ...common, entryPoints: [join(root, 'dist/src/cli/main.js')], outfile: join(out, 'skiff-main.cjs') });
await esbuild.build({ ...common, entryPoints: [join(root, 'dist/src/cli/launch.js')], outfile: join(out, 'skiff.cjs') });

// The cache holds what V8 compiled while these ran: start-up, flag parsing, the client and the
// paths of `version` and `ps` up to the daemon (none answers at this socket).
const cache = join(out, 'skiff-main.cjs.cache');
rmSync(cache, { force: true });
const warm = [
  ['version', '--format', '{{.Client.Version}}'],
  ['ps'],
  ['ps', '--format', '{{.ID}}'],
  ['images'],
  ['run', '--help'],
];
const r = spawnSync(process.execPath, [join(out, 'skiff.cjs')], {
  env: { ...process.env, SKIFF_WRITE_CODE_CACHE: JSON.stringify(warm), DOCKER_HOST: 'unix:///nonexistent/skiff-bundle-warmup.sock', DOCKER_CONFIG: '/nonexistent' },
  encoding: 'utf8',
  timeout: 60_000,
  killSignal: 'SIGKILL',
});
if (r.status !== 0) {
  process.stderr.write(`bundle-cli: code cache warm-up failed (${r.status ?? r.signal}): ${r.stderr}\n`);
  process.exit(1);
}
