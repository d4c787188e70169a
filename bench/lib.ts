/**
 * What the side-by-side benchmarks share: starting skiffd and Debian's dockerd on private
 * data-roots, sockets, bridges and cgroup parents; the docker CLI bounded and pointed at one of
 * them; a busybox image made locally; and putting the host back as it was afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeBusyboxRootfs } from '../test/helpers/rootfs.js';

export const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

export interface BenchDaemon { name: 'skiffd' | 'dockerd'; socket: string; proc: ChildProcess; dir: string }

export function api(socket: string, method: string, path: string, body?: unknown, agent?: Agent): Promise<{ status: number; body: string; bytes: number }> {
  return new Promise((res, rej) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request({ socketPath: socket, method, path, agent, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {} }, (r) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      r.on('data', (c: Buffer) => { bytes += c.length; if (bytes < 1 << 20) chunks.push(c); });
      r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString(), bytes }));
    });
    req.on('error', rej);
    req.end(data);
  });
}

export async function waitUp(socket: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await api(socket, 'GET', '/_ping')).status === 200) return;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`no daemon on ${socket}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The docker CLI against `d`, bounded (docker run forwards SIGTERM, so only SIGKILL ends it). */
export function docker(d: BenchDaemon, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(DOCKER, args, {
    encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL', maxBuffer: 256 << 20,
    env: { ...process.env, DOCKER_HOST: `unix://${d.socket}`, ...env },
  });
  if (r.status !== 0) throw new Error(`${d.name}: docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** A workspace with a busybox rootfs tarball (`tar`) ready for `docker import`. */
export function workspace(prefix: string): { work: string; tar: string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  makeBusyboxRootfs(join(work, 'rootfs'));
  const tar = join(work, 'busybox.tar');
  spawnSync('tar', ['-C', join(work, 'rootfs'), '-cf', tar, '.']);
  return { work, tar };
}

/** skiffd with its own bridge `sk<tag>`, nft table `skiff-<tag>` and cgroup parent `/skiff-<tag>`. */
export async function startSkiffd(work: string, tag: string, bip: string): Promise<BenchDaemon> {
  const dir = join(work, 'skiffd');
  const socket = join(dir, 's.sock');
  // Through its shebang, as users start it (the node flags are there).
  const proc = spawn(resolve('bin/skiffd'), ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'run'), '-H', `unix://${socket}`, '--bip', bip], {
    stdio: 'ignore', env: { ...process.env, SKIFF_BRIDGE_NAME: `sk${tag}`, SKIFF_NFT_TABLE: `skiff-${tag}`, SKIFF_CGROUP_PARENT: `/skiff-${tag}` },
  });
  await waitUp(socket);
  return { name: 'skiffd', socket, proc, dir };
}

/**
 * Debian's dockerd (installed on demand) on a bridge of our own and without iptables rules,
 * which dockerd never removes: the host stays as it was.
 */
export async function startDockerd(work: string, tag: string, cidr: string): Promise<BenchDaemon | undefined> {
  if (spawnSync('which', ['dockerd']).status !== 0) {
    console.error('installing docker.io with apt-get…');
    spawnSync('apt-get', ['install', '-y', '-qq', 'docker.io'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (spawnSync('which', ['dockerd']).status !== 0) return undefined;
  const dir = join(work, 'dockerd');
  const socket = join(work, 'd.sock');
  spawnSync('ip', ['link', 'add', `sk${tag}d`, 'type', 'bridge']);
  spawnSync('ip', ['addr', 'add', cidr, 'dev', `sk${tag}d`]);
  spawnSync('ip', ['link', 'set', `sk${tag}d`, 'up']);
  const proc = spawn('dockerd', ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'run'), '-H', `unix://${socket}`, '--pidfile', join(work, 'd.pid'),
    '--bridge', `sk${tag}d`, '--iptables=false', '--containerd-namespace', `bench${tag}`, '--storage-driver', 'overlay2'], { stdio: 'ignore' });
  await waitUp(socket);
  return { name: 'dockerd', socket, proc, dir };
}

/** Stops the daemons and removes everything the benchmark created on the host. */
export async function cleanup(daemons: BenchDaemon[], work: string, tag: string): Promise<void> {
  for (const d of daemons) {
    d.proc.kill('SIGTERM');
    await new Promise((r) => { d.proc.once('exit', r); setTimeout(() => { d.proc.kill('SIGKILL'); r(undefined); }, 30_000); });
  }
  spawnSync('sh', ['-c', `grep ' ${work}' /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l`]);
  rmSync(work, { recursive: true, force: true });
  for (const l of [`sk${tag}`, `sk${tag}d`]) spawnSync('ip', ['link', 'del', l]);
  spawnSync('nft', ['delete', 'table', 'ip', `skiff-${tag}`]);
  for (const h of readdirSync('/sys/fs/cgroup')) spawnSync('rmdir', [join('/sys/fs/cgroup', h, `skiff-${tag}`)]);
}
