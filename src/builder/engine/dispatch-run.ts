/**
 * RUN: the command runs in a real container created from the image so far, its output goes to
 * the build stream, and its filesystem changes become the step's layer. Build args reach the
 * command as environment variables and, as in Docker, appear in front of the history line
 * (`|1 A=b /bin/sh -c …`) so a changed argument is a different step for the cache. Heredocs,
 * `--mount` and `--network` are read as BuildKit's Dockerfile frontend reads them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, invalidArgument } from '../../common/errors.js';
import type { Command } from '../instructions/index.js';
import { cacheKey } from './cache.js';
import { cacheFromHit } from './cache-from.js';
import { PIPES_DIR, runCommand } from './run-command.js';
import { checkMountTypes, planMounts, withMounts } from './run-mounts.js';
import { probe, type BuildEnv, type StageState } from './step.js';
import type { RunMount } from './types.js';

type RunCmd = Extract<Command, { kind: 'run' }>;

/** A RUN that exited non-zero; `code` is the exit code, as in Docker's errorDetail. */
export class RunFailedError extends EngineError {
  constructor(message: string, readonly code: number) {
    super('internal', message);
  }
}

/** RUN flags this engine cannot honour; checked for the whole Dockerfile before any step runs. */
export function checkRunFlags(cmd: RunCmd): void {
  const at = `dockerfile parse error on line ${cmd.location.startLine}`;
  if (cmd.security === 'insecure') {
    throw invalidArgument(`${at}: RUN --security=insecure is not allowed: granting entitlement security.insecure is not allowed by the classic builder`);
  }
  if (cmd.devices.length) throw invalidArgument(`${at}: RUN --device is not supported by the classic builder`);
  checkMountTypes(cmd);
}

function networkOf(env: BuildEnv, cmd: RunCmd): string {
  return cmd.network === 'default' ? env.opts.networkMode : cmd.network;
}

export async function dispatchRun(env: BuildEnv, state: StageState, cmd: RunCmd): Promise<void> {
  if (state.imageId === undefined) throw invalidArgument('Please provide a source image with `from` prior to run');
  checkRunFlags(cmd);
  const { argv, script } = runCommand(state, cmd);
  const plans = await planMounts(env, state, cmd);
  const networkMode = networkOf(env, cmd);
  const envList = state.config.Env ?? [];
  const pairs = state.args.historyPairs(envList);
  const createdBy = (pairs.length ? [`|${pairs.length}`, ...pairs, ...argv] : argv).join(' ');
  const argEnv = [...state.args.allowed(envList)].map(([k, v]) => `${k}=${v}`);
  const extra: unknown[] = [state.config, argEnv, env.opts.networkMode];
  // Only what a plain RUN lacks joins the key, so plain RUNs keep their cache entries.
  if (plans.length || script || networkMode !== env.opts.networkMode) extra.push(plans.map((p) => p.key), script ?? null, networkMode);
  const key = cacheKey({ parent: state.imageId, createdBy, extra });
  if (probe(env, key)) { state.imageId = env.cache.get(key)!; return; }
  const restored = await cacheFromHit(env, state, createdBy);
  if (restored) { await env.cache.put(key, restored); state.imageId = restored; return; }

  const { backend } = env;
  const stubs = plans.map((p) => p.target);
  await withScript(env, script, (scriptMounts) => withMounts(env, plans, async (mounts) => {
    const id = await backend.createContainer({
      image: state.imageId!, argv, env: argEnv, user: state.config.User ?? '', workdir: state.config.WorkingDir ?? '', networkMode,
      ...(mounts.length || scriptMounts.length ? { mounts: [...scriptMounts, ...mounts] } : {}),
    });
    env.containers.add(id);
    env.print(` ---> Running in ${id.slice(0, 12)}\n`);
    const code = await backend.startContainer(id, (data) => env.print(data.toString()));
    if (code !== 0) throw new RunFailedError(`The command '${argv.join(' ')}' returned a non-zero code: ${code}`, code);
    const image = await backend.commitContainer(id, {
      parent: state.imageId, config: structuredClone(state.config), createdBy,
      ...(state.author ? { author: state.author } : {}), ...(stubs.length ? { mountStubs: stubs } : {}),
    });
    await env.cache.put(key, image);
    state.imageId = image;
    if (env.opts.rm) await removeContainer(env, id);
  }));
}

/** A shebang heredoc as a read-only file at `/dev/pipes/<name>` for the step's duration. */
async function withScript<T>(env: BuildEnv, script: { name: string; data: string } | undefined, fn: (mounts: RunMount[]) => Promise<T>): Promise<T> {
  if (!script) return fn([]);
  const dir = join(env.backend.stateDir, `add-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { mode: 0o755 });
  try {
    await writeFile(join(dir, script.name), script.data, { mode: 0o755 });
    return await fn([{ type: 'bind', source: dir, target: PIPES_DIR, readOnly: true }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function removeContainer(env: BuildEnv, id: string): Promise<void> {
  await env.backend.removeContainer(id);
  env.containers.delete(id);
  env.print(`Removing intermediate container ${id.slice(0, 12)}\n`);
}
