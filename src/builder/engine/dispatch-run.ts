/**
 * RUN: the command runs in a real container created from the image so far, its output goes to
 * the build stream, and its filesystem changes become the step's layer. Build args reach the
 * command as environment variables and, as in Docker, appear in front of the history line
 * (`|1 A=b /bin/sh -c …`) so a changed argument is a different step for the cache.
 */
import { EngineError, invalidArgument } from '../../common/errors.js';
import type { Command } from '../instructions/index.js';
import { cacheKey } from './cache.js';
import { commandLine } from './dispatch-meta.js';
import { probe, type BuildEnv, type StageState } from './step.js';

/** A RUN that exited non-zero; `code` is the exit code, as in Docker's errorDetail. */
export class RunFailedError extends EngineError {
  constructor(message: string, readonly code: number) {
    super('internal', message);
  }
}

export async function dispatchRun(env: BuildEnv, state: StageState, cmd: Extract<Command, { kind: 'run' }>): Promise<void> {
  if (state.imageId === undefined) throw invalidArgument('Please provide a source image with `from` prior to run');
  const argv = commandLine(state, cmd);
  const envList = state.config.Env ?? [];
  const pairs = state.args.historyPairs(envList);
  const createdBy = (pairs.length ? [`|${pairs.length}`, ...pairs, ...argv] : argv).join(' ');
  const argEnv = [...state.args.allowed(envList)].map(([k, v]) => `${k}=${v}`);
  const key = cacheKey({ parent: state.imageId, createdBy, extra: [state.config, argEnv, env.opts.networkMode] });
  if (probe(env, key)) { state.imageId = env.cache.get(key)!; return; }

  const { backend } = env;
  const id = await backend.createContainer({
    image: state.imageId, argv, env: argEnv, user: state.config.User ?? '', workdir: state.config.WorkingDir ?? '', networkMode: env.opts.networkMode,
  });
  env.containers.add(id);
  env.print(` ---> Running in ${id.slice(0, 12)}\n`);
  const code = await backend.startContainer(id, (data) => env.print(data.toString()));
  if (code !== 0) throw new RunFailedError(`The command '${argv.join(' ')}' returned a non-zero code: ${code}`, code);
  const image = await backend.commitContainer(id, { parent: state.imageId, config: structuredClone(state.config), createdBy, ...(state.author ? { author: state.author } : {}) });
  await env.cache.put(key, image);
  state.imageId = image;
  if (env.opts.rm) await removeContainer(env, id);
}

export async function removeContainer(env: BuildEnv, id: string): Promise<void> {
  await env.backend.removeContainer(id);
  env.containers.delete(id);
  env.print(`Removing intermediate container ${id.slice(0, 12)}\n`);
}
