/**
 * Bundles the CLI (tsc's output under dist/src) for fast start-up; `npm run build` runs it after
 * tsc. Writes dist/cli/skiff.cjs (the launcher bin/skiff runs) and dist/cli/skiff-main.cjs (the
 * whole CLI in one CommonJS file: esbuild turns each lazily imported command module, and the
 * node: modules it needs, into code that runs only when the command does), then warms a V8 code
 * cache for the bundle (dist/cli/skiff-main.cjs.cache) by running a few commands through it.
 *
 *   node scripts/bundle-cli.mjs
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild-wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
mkdirSync(out, { recursive: true });
// The old cache goes first: V8 checks a cache against its script's length, not its text, so a
// new bundle must never be read with the previous bundle's cache.
const cache = join(out, 'skiff-main.cjs.cache');
rmSync(cache, { force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // npm packages stay in node_modules, required only by the commands that use them.
  packages: 'external',
  logLevel: 'warning',
  // Whitespace and syntax minified: fewer bytes to read and a smaller code cache to load. Names
  // stay, so a stack trace (SKIFF_DEBUG_STACK=1) still says which function failed.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  legalComments: 'none',
  // CommonJS has no import.meta; the modules only use its url (to find files next to them).
  define: { 'import.meta.url': '__skiffModuleUrl' },
  banner: { js: 'var __skiffModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};
await esbuild.build({
  ...common,
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: join(out, 'skiff-main.cjs'),
  // Every import() becomes a require(): V8 drops the dynamic-import callback of a script that
  // was compiled from a code cache ("A dynamic import callback was not specified"). (The
  // launcher keeps its import(): it loads tsc's ES modules when the bundle is stale.)
  supported: { 'dynamic-import': false },
});
await esbuild.build({ ...common, entryPoints: [join(root, 'dist/src/cli/launch.js')], outfile: join(out, 'skiff.cjs') });

// The cache holds what V8 compiled while these commands ran: start-up, flag parsing, the client,
// and the paths of `version`, `ps` and `images` through to their output. The warm-up talks to a
// stand-in daemon on a private socket that answers those few endpoints with fixed documents (a
// build step has no daemon; src/cli/warm/rehearsal.ts, which the CLI's warm pool processes also
// run); whatever it leaves out is simply compiled at run time.
const tmp = mkdtempSync(join(tmpdir(), 'skiff-bundle-'));
const socket = join(tmp, 'warm.sock');
const { REHEARSAL, startStandIn } = await import(join(root, 'dist/src/cli/warm/rehearsal.js'));
const server = await startStandIn(socket);
const warm = REHEARSAL;
const child = spawn(process.execPath, [join(out, 'skiff.cjs')], {
  env: { ...process.env, SKIFF_WRITE_CODE_CACHE: JSON.stringify(warm), DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(tmp, 'config') },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
const [code, signal] = await once(child, 'exit');
clearTimeout(timer);
server.close();
rmSync(tmp, { recursive: true, force: true });
if (code !== 0) {
  process.stderr.write(`bundle-cli: code cache warm-up failed (${code ?? signal}): ${stderr}\n`);
  process.exit(1);
}
