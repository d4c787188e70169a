/**
 * A rehearsal of the commands people type most, against a stand-in daemon on a private socket
 * that answers their few endpoints with fixed documents. The build runs it to fill the bundle's
 * V8 code cache (scripts/bundle-cli.mjs); a process of the CLI's warm pool runs it before it waits
 * for a command, so the first real command finds its code compiled and its inline caches warm.
 */
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';

/** The command lines rehearsed. */
export const REHEARSAL: string[][] = [
  ['version', '--format', '{{.Client.Version}}'],
  ['version'],
  ['ps'],
  ['ps', '--format', '{{.ID}} {{.Names}}'],
  ['ps', '-q'],
  ['images'],
  ['run', '--help'],
];

const ANSWERS: Record<string, unknown> = {
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

/** The stand-in daemon, listening on the unix socket path given. */
export function startStandIn(socket: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[0-9.]+/, '').replace(/\?.*$/, '');
    const body = path === '/_ping' ? 'OK' : ANSWERS[path] === undefined ? undefined : JSON.stringify(ANSWERS[path]);
    res.writeHead(body === undefined ? 404 : 200, { 'Api-Version': '1.51', 'Ostype': 'linux', 'Content-Type': path === '/_ping' ? 'text/plain' : 'application/json' });
    res.end(req.method === 'HEAD' ? undefined : body ?? '{"message":"page not found"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve(server));
  });
}

/**
 * Runs the rehearsal in this process: process.stdout and process.stderr are a sink meanwhile
 * (their own lazy getters come back untouched, so the real command's streams are made for its
 * descriptors), and DOCKER_HOST and DOCKER_CONFIG point at the stand-in and at nothing.
 */
export async function rehearse(main: (argv: string[]) => Promise<number>, socket: string): Promise<void> {
  const server = await startStandIn(socket);
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const saved = (['stdout', 'stderr'] as const).map((k) => [k, Object.getOwnPropertyDescriptor(process, k)] as const);
  const env = { ...process.env };
  for (const [k] of saved) Object.defineProperty(process, k, { configurable: true, enumerable: true, get: () => sink });
  process.env['DOCKER_HOST'] = `unix://${socket}`;
  process.env['DOCKER_CONFIG'] = `${socket}.config`;
  try {
    for (const argv of REHEARSAL) await main(argv);
  } finally {
    for (const [k, desc] of saved) if (desc) Object.defineProperty(process, k, desc);
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, env);
    await new Promise((resolve) => server.close(resolve));
  }
}
