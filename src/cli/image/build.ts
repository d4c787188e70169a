/**
 * `skiff build`: the docker CLI's legacy-builder path. The context (a directory, or `-` for a
 * tar or a Dockerfile on stdin) is sent as a tar to POST /build, `.dockerignore` applied here;
 * the JSON progress stream is printed as docker prints it, a failed step exits with its code
 * ("The command … returned a non-zero code: N"), -q prints only the id, --iidfile gets the id.
 */
import { readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { humanSize } from '../format/index.js';
import type { Cli } from '../framework/cli.js';
import { StatusError, type Command } from '../framework/command.js';
import type { FlagValues } from '../framework/flags.js';
import { ramInBytes } from '../container/values.js';
import { dockerfileOnlyContext, extraDockerfile, keepBuildFiles, packContext, readDockerignore, type ExtraDockerfile } from './build-context.js';
import { gitContext, isArchive, isGitURL, isURL, readHead, urlContext } from './build-remote.js';
import type { JSONMessage } from './progress.js';
import { jsonLinesOf } from '../../client/index.js';

const str = (long: string, help: string, short?: string, valueName?: string) => ({ long, short, kind: 'string' as const, help, valueName });
const list = (long: string, help: string, short?: string, valueName = 'list') => ({ long, short, kind: 'list' as const, help, valueName });

const FLAGS = [
  list('add-host', 'Add a custom host-to-IP mapping ("host:ip")'),
  list('build-arg', 'Set build-time variables'),
  list('cache-from', 'Images to consider as cache sources', undefined, 'strings'),
  str('cgroup-parent', 'Set the parent cgroup for the "RUN" instructions during build'),
  { long: 'compress', kind: 'bool' as const, help: 'Compress the build context using gzip' },
  { long: 'cpu-period', kind: 'int' as const, help: 'Limit the CPU CFS (Completely Fair Scheduler) period' },
  { long: 'cpu-quota', kind: 'int' as const, help: 'Limit the CPU CFS (Completely Fair Scheduler) quota' },
  { long: 'cpu-shares', short: 'c', kind: 'int' as const, help: 'CPU shares (relative weight)' },
  str('cpuset-cpus', 'CPUs in which to allow execution (0-3, 0,1)'),
  str('cpuset-mems', 'MEMs in which to allow execution (0-3, 0,1)'),
  { long: 'disable-content-trust', kind: 'bool' as const, help: 'Skip image verification', default: true },
  str('file', 'Name of the Dockerfile (Default is "PATH/Dockerfile")', 'f'),
  { long: 'force-rm', kind: 'bool' as const, help: 'Always remove intermediate containers' },
  str('iidfile', 'Write the image ID to the file'),
  str('isolation', 'Container isolation technology'),
  list('label', 'Set metadata for an image'),
  str('memory', 'Memory limit', 'm', 'bytes'),
  str('memory-swap', 'Swap limit equal to memory plus swap: -1 to enable unlimited swap', undefined, 'bytes'),
  { long: 'network', kind: 'string' as const, help: 'Set the networking mode for the RUN instructions during build', default: 'default' },
  { long: 'no-cache', kind: 'bool' as const, help: 'Do not use cache when building the image' },
  str('platform', 'Set platform if server is multi-platform capable'),
  { long: 'pull', kind: 'bool' as const, help: 'Always attempt to pull a newer version of the image' },
  { long: 'quiet', short: 'q', kind: 'bool' as const, help: 'Suppress the build output and print image ID on success' },
  { long: 'rm', kind: 'bool' as const, help: 'Remove intermediate containers after a successful build', default: true },
  list('security-opt', 'Security options', undefined, 'strings'),
  str('shm-size', 'Size of "/dev/shm"', undefined, 'bytes'),
  { long: 'squash', kind: 'bool' as const, help: 'Squash newly built layers into a single new layer' },
  list('tag', 'Name and optionally a tag in the "name:tag" format', 't'),
  str('target', 'Set the target build stage to build.'),
  list('ulimit', 'Ulimit options', undefined, 'ulimit'),
];

/** docker's ValidateEnv for --build-arg: `K` alone takes K's value from our environment, else null. */
function buildArgs(items: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    const k = i < 0 ? item : item.slice(0, i);
    if (k === '') throw new StatusError(125, `invalid argument "${item}" for "--build-arg" flag: invalid environment variable: ${item}`);
    if (i >= 0) out[k] = item.slice(i + 1);
    else out[k] = process.env[k] ?? null;
  }
  return out;
}

const kvMap = (items: string[]): Record<string, string> =>
  Object.fromEntries(items.map((s) => (s.includes('=') ? [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] : [s, ''])));

interface Prepared { body: Readable; dockerfile: string; sendingLine?: boolean }

/**
 * A local context (a directory, or `-`). `dockerfileBase` is where a relative -f is found: the
 * working directory, or a cloned repository's root.
 */
async function prepareContext(context: string, dockerfileFlag: string, dockerfileBase = process.cwd()): Promise<Prepared> {
  const dockerfileFromStdin = dockerfileFlag === '-';
  if (context === '-') {
    if (dockerfileFromStdin) throw new StatusError(1, "invalid argument: can't use stdin for both build context and dockerfile");
    const { head, rest } = await readHead(process.stdin);
    if (isArchive(head)) return { body: rest, dockerfile: dockerfileFlag || 'Dockerfile' };
    if (dockerfileFlag) throw new StatusError(1, 'unable to prepare context: ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles');
    const chunks: Buffer[] = [];
    for await (const c of rest) chunks.push(c as Buffer);
    return { body: dockerfileOnlyContext(Buffer.concat(chunks)), dockerfile: 'Dockerfile' };
  }
  try {
    statSync(context);
  } catch {
    throw new StatusError(1, `unable to prepare context: path ${JSON.stringify(context)} not found`);
  }
  const fail = (m: string): StatusError => new StatusError(1, `unable to prepare context: ${m}`);
  let dir: string;
  try {
    dir = realpathSync(resolve(context));
  } catch (e) {
    throw fail(`unable to evaluate symlinks in context path: ${(e as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw fail(`context must be a directory: ${dir}`);
  let extra: ExtraDockerfile | undefined;
  let rel: string;
  if (dockerfileFromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    extra = extraDockerfile(Buffer.concat(chunks));
    rel = extra.name;
  } else {
    const given = dockerfileFlag ? resolve(dockerfileBase, dockerfileFlag) : join(dir, 'Dockerfile');
    let abs: string;
    try {
      abs = realpathSync(isAbsolute(given) ? given : join(dir, given));
    } catch {
      throw fail(`unable to evaluate symlinks in Dockerfile path: lstat ${given}: no such file or directory`);
    }
    rel = relative(dir, abs);
    if (rel.startsWith('../')) {
      extra = extraDockerfile(readFileSync(abs));
      rel = extra.name;
    }
  }
  const excludes = keepBuildFiles(readDockerignore(dir), rel, dockerfileFromStdin);
  return { body: packContext(dir, excludes, extra), dockerfile: rel };
}

function buildQuery(o: FlagValues, dockerfile: string): Record<string, string | string[] | undefined> {
  const bytes = (long: string): string | undefined => (o.has(long) && o.str(long) !== '' ? String(o.str(long) === '-1' ? -1 : ramInBytes(o.str(long))) : undefined);
  return {
    t: o.list('tag'), dockerfile, q: o.bool('quiet') ? '1' : undefined, nocache: o.bool('no-cache') ? '1' : undefined,
    rm: o.bool('rm') ? '1' : '0', forcerm: o.bool('force-rm') ? '1' : undefined, pull: o.bool('pull') ? '1' : undefined,
    buildargs: JSON.stringify(buildArgs(o.list('build-arg'))), labels: JSON.stringify(kvMap(o.list('label'))),
    cachefrom: JSON.stringify(o.list('cache-from').flatMap((s) => s.split(','))), target: o.str('target') || undefined,
    networkmode: o.str('network'), platform: o.str('platform') || undefined, memory: bytes('memory'), memswap: bytes('memory-swap'),
    shmsize: bytes('shm-size'), cpusetcpus: o.str('cpuset-cpus') || undefined, cpusetmems: o.str('cpuset-mems') || undefined,
    cpushares: o.has('cpu-shares') ? String(o.int('cpu-shares')) : undefined, cpuquota: o.has('cpu-quota') ? String(o.int('cpu-quota')) : undefined,
    cpuperiod: o.has('cpu-period') ? String(o.int('cpu-period')) : undefined, cgroupparent: o.str('cgroup-parent') || undefined,
    extrahosts: o.list('add-host').length ? o.list('add-host') : undefined, squash: o.bool('squash') ? '1' : undefined,
    version: '1',
  };
}

/** X-Registry-Config: every credential of the config file, for FROM pulls. */
function registryConfig(cli: Cli): string {
  const out: Record<string, { username: string; password: string; serveraddress: string }> = {};
  for (const [server, entry] of Object.entries(cli.config.auths ?? {})) {
    if (!entry.auth) continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString();
    const i = decoded.indexOf(':');
    out[server] = { username: decoded.slice(0, i), password: decoded.slice(i + 1), serveraddress: server };
  }
  return Buffer.from(JSON.stringify(out)).toString('base64url');
}

/** Sends the context to POST /build and prints the build as docker does. */
async function send(cli: Cli, o: FlagValues, prepared: Prepared, quiet: boolean, iidfile: string): Promise<void> {
  let sent = 0;
  const counter = new Transform({ transform(c: Buffer, _e, cb) { sent += c.length; cb(null, c); } });
  prepared.body.on('error', (e: Error) => counter.destroy(e));
  prepared.body.pipe(counter);
  const uploaded = new Promise<void>((ok) => counter.on('end', ok));
  const out: string[] = [];
  const write = (s: string): void => { if (quiet) out.push(s); else cli.out(s); };
  const res = await cli.client.request('POST', '/build', {
    query: buildQuery(o, prepared.dockerfile), body: counter,
    headers: { 'Content-Type': 'application/x-tar', 'X-Registry-Config': registryConfig(cli) },
  });
  await uploaded;
  if (prepared.sendingLine !== false) write(`Sending build context to Docker daemon ${humanSize(sent).padStart(8)}\r\r\n`);
  let imageId = '';
  const handle = (m: JSONMessage & { errorDetail?: { message?: string; code?: number } }): void => {
    if (m.errorDetail || m.error) {
      if (quiet) cli.err(out.join(''));
      const code = m.errorDetail?.code || 1;
      throw new StatusError(code, m.errorDetail?.message ?? m.error ?? '');
    }
    if (m.aux !== undefined) {
      const id = (m.aux as { ID?: string }).ID;
      if (id) imageId = id;
      return;
    }
    if (m.stream !== undefined) write(m.stream);
    else if (m.status !== undefined) write(`${m.id ? `${m.id}: ` : ''}${m.status}\n`);
  };
  for await (const m of jsonLinesOf<JSONMessage>(res)) handle(m);
  if (quiet) {
    // The daemon's only output with q=1 is the id line.
    imageId = out.slice(1).join('');
    cli.out(imageId);
  }
  if (iidfile) {
    if (!imageId) throw new StatusError(1, `Server did not provide an image ID. Cannot write ${iidfile}`);
    writeFileSync(iidfile, imageId, { mode: 0o666 });
  }
}

const command: Command = {
  usage: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  aliases: ['skiff image build', 'skiff build', 'skiff builder build'],
  flags: FLAGS,
  args: { min: 1, max: 1 },
  async run(cli, o, [context]) {
    const quiet = o.bool('quiet');
    const iidfile = o.str('iidfile');
    if (iidfile) rmSync(iidfile, { force: true });
    // As docker: a local directory first, then a git repository, then any other URL.
    let localDir = false;
    try {
      localDir = statSync(context!).isDirectory();
    } catch {
      localDir = false;
    }
    let prepared: Prepared;
    let cleanup: (() => void) | undefined;
    if (!localDir && isGitURL(context!)) {
      const repo = gitContext(context!);
      cleanup = repo.cleanup;
      prepared = await prepareContext(repo.dir, o.str('file'), repo.dir).catch((e: unknown) => { repo.cleanup(); throw e; });
    } else if (!localDir && isURL(context!)) {
      prepared = await urlContext(context!, o.str('file'), quiet ? undefined : (line) => cli.out(line));
    } else {
      prepared = await prepareContext(context!, o.str('file'));
    }
    try {
      await send(cli, o, prepared, quiet, iidfile);
    } finally {
      cleanup?.();
    }
  },
};
export default command;

