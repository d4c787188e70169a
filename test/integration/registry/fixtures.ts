/**
 * Fixtures for the registry integration tests: a real `docker-registry` (Debian's build of
 * distribution) on 127.0.0.1 with filesystem storage in a temp dir, optionally with TLS (a CA and
 * server certificate made with openssl) and htpasswd basic auth (bcrypt through the system's
 * crypt(3), reached via perl, so no package is needed); and small images built in memory.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import tar from 'tar-stream';
import { digestOf } from '../../../src/containerd/content/digest.js';
import { MediaType, type Descriptor, type ImageConfig, type Manifest } from '../../../src/oci/image-spec.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const SKOPEO_BIN = '/usr/bin/skopeo';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `skiff-${prefix}-`));
}

/** A bcrypt htpasswd line; crypt(3) with a `$2b$` salt is bcrypt in libxcrypt. */
export function htpasswdLine(user: string, password: string): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const salt = Array.from(randomBytes(22), (b) => alphabet[b % 64]).join('');
  const hash = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`]).toString();
  if (!hash.startsWith('$2b$')) throw new Error('crypt(3) has no bcrypt here');
  return `${user}:${hash}\n`;
}

export interface Certs {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it. */
export function makeCerts(dir: string): Certs {
  const p = (f: string): string => join(dir, f);
  const run = (...args: string[]): void => { execFileSync('openssl', args, { stdio: 'ignore' }); };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=skiff test CA', '-keyout', p('ca.key'), '-out', p('ca.crt'));
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', p('server.key'), '-out', p('server.csr'));
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > '${p('ext.cnf')}'`]);
  run('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', p('ext.cnf'), '-out', p('server.crt'));
  return { dir, caCert: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key') };
}

export interface RegistryProcess {
  host: string;
  port: number;
  storage: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  tls?: Certs;
  htpasswd?: string;
}

async function waitReady(port: number, tls: boolean, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const mod = tls ? https : http;
      const req = mod.get({ host: '127.0.0.1', port, path: '/v2/', rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error('docker-registry did not start');
}

/** Starts docker-registry; `stop()` kills it and removes its directory. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RegistryProcess> {
  const dir = await tempDir('registry');
  const storage = join(dir, 'storage');
  await mkdir(storage);
  const port = await freePort();
  let config = `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
`;
  if (opts.tls) config += `  tls:\n    certificate: ${opts.tls.serverCert}\n    key: ${opts.tls.serverKey}\n`;
  if (opts.htpasswd !== undefined) {
    await writeFile(join(dir, 'htpasswd'), opts.htpasswd);
    config += `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  await writeFile(join(dir, 'config.yml'), config);
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(port, opts.tls !== undefined, child);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}: ${stderr}`);
  }
  return { host: `127.0.0.1:${port}`, port, storage, stop };
}

/** Where docker-registry keeps a blob's bytes. */
export function registryBlobPath(storage: string, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}

export interface TestImage {
  config: Buffer;
  configDesc: Descriptor;
  layer: Buffer;
  layerDesc: Descriptor;
  manifest: Buffer;
  manifestDesc: Descriptor;
}

/** A one-layer image: a gzipped tar with one file, its config and a manifest. */
export async function makeImage(opts: { arch?: string; content?: string; oci?: boolean } = {}): Promise<TestImage> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => { chunks.push(c as Buffer); });
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  pack.entry({ name: 'hello.txt', mtime: new Date(0) }, opts.content ?? `hello from ${opts.arch ?? 'amd64'}\n`);
  pack.finalize();
  await done;
  const tarBytes = Buffer.concat(chunks);
  const layer = gzipSync(tarBytes);
  const oci = opts.oci ?? false;
  const cfg: ImageConfig = {
    architecture: opts.arch ?? 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: [digestOf(tarBytes)] },
  };
  const config = Buffer.from(JSON.stringify(cfg));
  const configDesc: Descriptor = { mediaType: oci ? MediaType.ociConfig : MediaType.dockerConfig, digest: digestOf(config), size: config.length };
  const layerDesc: Descriptor = { mediaType: oci ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip, digest: digestOf(layer), size: layer.length };
  const m: Manifest = { schemaVersion: 2, mediaType: oci ? MediaType.ociManifest : MediaType.dockerManifest, config: configDesc, layers: [layerDesc] };
  const manifest = Buffer.from(JSON.stringify(m, null, 3));
  const manifestDesc: Descriptor = { mediaType: m.mediaType as string, digest: digestOf(manifest), size: manifest.length };
  return { config, configDesc, layer, layerDesc, manifest, manifestDesc };
}

export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
