/**
 * `RUN --mount=…` for the classic engine. A step's mounts are planned first (variables expanded,
 * `from=` resolved to an image, context sources checksummed) because the plan is part of the
 * step's cache key; only a step that misses the cache acquires them:
 * - bind: a path of the context, of an earlier stage or of an image, read-only unless `rw`
 *   (writes then go to a throw-away copy, as in BuildKit they never reach the context);
 * - cache: a directory kept across builds (see cache-mounts.ts);
 * - tmpfs: a fresh tmpfs, `size=` bounded.
 * Secrets and SSH agents need a client session that only BuildKit has, so they are refused
 * with a clear message rather than silently mounted empty.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { Command } from '../instructions/index.js';
import { parseMount, type Mount } from '../instructions/mount.js';
import { acquireCacheMount } from './cache-mounts.js';
import { copyEntry, scopedPath } from './rootfs-write.js';
import { clampedJoin, expandSource, sourcesChecksum } from './sources.js';
import { expand, type BuildEnv, type StageState } from './step.js';
import type { RunMount } from './types.js';

type RunCmd = Extract<Command, { kind: 'run' }>;

export interface MountPlan {
  mount: Mount;
  /** Absolute target in the container. */
  target: string;
  /** The image a bind or cache seed comes from; undefined for the context (or no seed). */
  image: string | undefined;
  /** What of this mount decides the step's result, for the cache key. */
  key: unknown;
}

export function refusedMountMessage(type: string): string | undefined {
  if (type === 'secret') return 'RUN --mount=type=secret is not supported by the classic builder: secrets need a BuildKit session (docker buildx build --secret)';
  if (type === 'ssh') return 'RUN --mount=type=ssh is not supported by the classic builder: SSH forwarding needs a BuildKit session (docker buildx build --ssh)';
  return undefined;
}

/** The mounts as written (variables unexpanded); those with variables are read at dispatch. */
function rawMounts(cmd: RunCmd): Mount[] {
  const out: Mount[] = [];
  for (const raw of cmd.mounts) {
    try {
      out.push(parseMount(raw, (w) => w));
    } catch (e) {
      // Without variables the value reads the same at dispatch: report it now, before any step.
      if (!raw.includes('$')) throw invalidArgument(`dockerfile parse error on line ${cmd.location.startLine}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Stages or images RUN mounts read from (`from=`), so the stages they name get built. */
export function mountSources(cmd: RunCmd): string[] {
  return rawMounts(cmd).flatMap((m) => (m.from && (m.type === 'bind' || m.type === 'cache') ? [m.from] : []));
}

/** Refuses, before any step runs, mount types this engine cannot provide. */
export function checkMountTypes(cmd: RunCmd): void {
  for (const m of rawMounts(cmd)) {
    const refused = refusedMountMessage(m.type);
    if (refused) throw invalidArgument(refused);
  }
}

/** An earlier stage's image or a named image (pulled if absent), as `from=` names it. */
export async function resolveFromImage(env: BuildEnv, from: string): Promise<string> {
  const stage = env.stageIndex(from);
  if (stage >= 0) {
    const id = env.stageImages.get(stage);
    if (!env.stageImages.has(stage)) throw invalidArgument(`invalid from flag value ${from}: stage not built yet`);
    if (id === undefined) throw invalidArgument(`invalid from flag value ${from}: stage has no image`);
    return id;
  }
  const found = env.backend.findImage(from);
  if (found) return found.id;
  return (await env.backend.pullImage(from, env.opts.platform, { write: (m) => { if (m.status) env.print(`${m.status}\n`); } })).id;
}

export async function planMounts(env: BuildEnv, state: StageState, cmd: RunCmd): Promise<MountPlan[]> {
  const plans: MountPlan[] = [];
  for (const raw of cmd.mounts) {
    let m: Mount;
    try {
      m = parseMount(raw, (w) => expand(env, state, w));
    } catch (e) {
      throw invalidArgument(`dockerfile parse error on line ${cmd.location.startLine}: ${(e as Error).message}`);
    }
    const refused = refusedMountMessage(m.type);
    if (refused) throw invalidArgument(refused);
    if (m.target === '') throw invalidArgument(`dockerfile parse error on line ${cmd.location.startLine}: mount target not specified`);
    const target = posix.resolve(state.config.WorkingDir || '/', m.target);
    if (target === '/') throw invalidArgument('cannot mount over the root directory (/) of a build step');
    const image = m.type === 'bind' || m.type === 'cache' ? (m.from ? await resolveFromImage(env, m.from) : undefined) : undefined;
    let key: unknown;
    if (m.type === 'bind' && image === undefined) {
      const found = await expandSource(env.context.root, m.source || '/', 'build context')
        .catch(() => { throw invalidArgument(`failed to mount ${target}: "${posix.join('/', m.source)}" not found in build context`); });
      key = ['bind', target, m.readOnly, await sourcesChecksum(found, env.context)];
    } else if (m.type === 'bind') {
      key = ['bind', target, m.readOnly, image, posix.join('/', m.source)];
    } else if (m.type === 'cache') {
      key = ['cache', target];
    } else {
      key = ['tmpfs', target, m.sizeLimit];
    }
    plans.push({ mount: m, target, image, key });
  }
  return plans;
}

/** Acquires the planned mounts, runs `fn` with them, and releases them whatever happens. */
export async function withMounts<T>(env: BuildEnv, plans: readonly MountPlan[], fn: (mounts: RunMount[]) => Promise<T>): Promise<T> {
  const acc: RunMount[] = [];
  const step = async (i: number): Promise<T> => {
    if (i === plans.length) return fn(acc);
    const { mount: m, target, image } = plans[i]!;
    if (m.type === 'tmpfs') {
      acc.push({ type: 'tmpfs', target, readOnly: false, ...(m.sizeLimit ? { size: m.sizeLimit } : {}) });
      return step(i + 1);
    }
    if (m.type === 'cache') {
      const seed = image === undefined ? undefined : (dir: string) => env.backend.withImageRoot(image, async (root) => {
        const src = await scopedPath(root, m.source || '/', true);
        if (!(await lstat(src).catch(() => undefined))?.isDirectory()) throw invalidArgument(`failed to mount ${target}: "${posix.join('/', m.source)}" is not a directory in ${m.from}`);
        await copyEntry(src, dir, { uid: m.uid ?? 0, gid: m.gid ?? 0 });
      });
      const lease = await acquireCacheMount(env.backend.stateDir, m, seed);
      try {
        acc.push({ type: 'bind', source: lease.dir, target, readOnly: m.readOnly });
        return await step(i + 1);
      } finally {
        await lease.release();
      }
    }
    if (image !== undefined) {
      return env.backend.withImageRoot(image, async (root) => {
        const src = await scopedPath(root, m.source || '/', true);
        if (!await lstat(src).then(() => true, () => false)) throw invalidArgument(`failed to mount ${target}: "${posix.join('/', m.source)}" not found in ${m.from}`);
        acc.push({ type: 'bind', source: src, target, readOnly: m.readOnly });
        return step(i + 1);
      });
    }
    const src = clampedJoin(env.context.root, m.source || '/').abs;
    if (m.readOnly) {
      acc.push({ type: 'bind', source: src, target, readOnly: true });
      return step(i + 1);
    }
    // A writable context bind: the step writes to a copy, which is dropped afterwards.
    const tmp = join(env.backend.stateDir, `add-${randomBytes(8).toString('hex')}`);
    await mkdir(tmp, { mode: 0o700 });
    try {
      const copy = join(tmp, 'src');
      await copyEntry(src, copy, { uid: 0, gid: 0 });
      acc.push({ type: 'bind', source: copy, target, readOnly: false });
      return await step(i + 1);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
  return step(0);
}
