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
import { createServer } from 'node:http';
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
// build step has no daemon); whatever it leaves out is simply compiled at run time.
const tmp = mkdtempSync(join(tmpdir(), 'skiff-bundle-'));
const socket = join(tmp, 'warm.sock');
const server = createServer((req, res) => {
  const path = (req.url ?? '').replace(/^\/v[0-9.]+/, '').replace(/\?.*$/, '');
  const body = path === '/_ping' ? 'OK' : ANSWERS[path] === undefined ? undefined : JSON.stringify(ANSWERS[path]);
  res.writeHead(body === undefined ? 404 : 200, { 'Api-Version': '1.51', 'Ostype': 'linux', 'Content-Type': path === '/_ping' ? 'text/plain' : 'application/json' });
  res.end(req.method === 'HEAD' ? undefined : body ?? '{"message":"page not found"}');
});
const ANSWERS = {
  '/containers/json': [0, 1].map((i) => ({
    Id: `${String(i).repeat(12)}${'ab'.repeat(26)}`, Names: [`/warm-${i}`], Image: 'busybox', ImageID: `sha256:${'cd'.repeat(32)}`,
    Command: 'sleep 1000', Created: 1767225600, State: 'running', Status: 'Up 2 minutes', Labels: { a: 'b' },
    Ports: i ? [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] : [],
    Mounts: [], HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: { bridge: { IPAddress: '10.0.0.2' } } },
  })),
  '/images/json': [{ Id: `sha256:${'cd'.repeat(32)}`, RepoTags: ['busybox:latest'], RepoDigests: [], Created: 1767225600, Size: 4_500_000, Labels: null, Containers: -1, ParentId: '', SharedSize: -1 }],
  '/version': {
    Platform: { Name: 'Skiff Engine' }, Version: '0.1.0', ApiVersion: '1.51', MinAPIVersion: '1.24', GitCommit: 'skiff', GoVersion: 'node20',
    Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0', BuildTime: '2026-01-01T00:00:00.000000000+00:00',
    Components: [{ Name: 'Engine', Version: '0.1.0', Details: { ApiVersion: '1.51', Arch: 'amd64', BuildTime: '2026-01-01T00:00:00.000000000+00:00', Experimental: 'false', GitCommit: 'skiff', GoVersion: 'node20', KernelVersion: '6.1.0', MinAPIVersion: '1.24', Os: 'linux' } }],
  },
};
await new Promise((resolve) => server.listen(socket, () => resolve(undefined)));
const warm = [
  ['version', '--format', '{{.Client.Version}}'],
  ['version'],
  ['ps'],
  ['ps', '--format', '{{.ID}} {{.Names}}'],
  ['ps', '-q'],
  ['images'],
  ['run', '--help'],
];
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
