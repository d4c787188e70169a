/**
 * One stage's build state and the step helpers every instruction shares: variable expansion
 * with the stage's environment, the `#(nop)` history line of metadata steps, and `commit`,
 * which looks the step up in the build cache first (printing ` ---> Using cache`) and otherwise
 * makes the new image and records it.
 */
import { ShellLex } from '../shell/index.js';
import type { ImageRunConfig } from '../../oci/image-spec.js';
import type { BuildContext } from '../context/index.js';
import type { BuildArgs } from './args.js';
import { cacheKey, type BuildCache } from './cache.js';
import { cacheFromHit } from './cache-from.js';
import type { BuildBackend, BuildOptions, CommitSpec } from './types.js';

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

export interface StageState {
  /** The image so far; undefined while a `FROM scratch` stage has made none. */
  imageId: string | undefined;
  config: ImageRunConfig;
  args: BuildArgs;
  /** Whether this stage set CMD (an ENTRYPOINT after it keeps it, else clears the inherited one). */
  cmdSet: boolean;
  /** MAINTAINER: the image's author. */
  author?: string;
}

/** Everything a build shares across stages and steps. */
export interface BuildEnv {
  backend: BuildBackend;
  opts: BuildOptions;
  context: BuildContext;
  cache: BuildCache;
  lex: ShellLex;
  /** Writes a line (or raw output) to the build's stream. */
  print(text: string): void;
  /** Image ids of finished stages, by index; and stage names → index. */
  stageImages: Map<number, string | undefined>;
  stageIndex(ref: string): number;
  /** Containers made by RUN steps and not removed yet (for rm/forcerm). */
  containers: Set<string>;
}

export function shellOf(config: ImageRunConfig): string[] {
  return config.Shell?.length ? [...config.Shell] : [...DEFAULT_SHELL];
}

/** The environment variables are expanded with: the config's Env, then the allowed build args. */
export function expansionEnv(state: StageState): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of state.config.Env ?? []) {
    const i = e.indexOf('=');
    env.set(i < 0 ? e : e.slice(0, i), i < 0 ? '' : e.slice(i + 1));
  }
  for (const [k, v] of state.args.allowed(state.config.Env ?? [])) if (!env.has(k)) env.set(k, v);
  return env;
}

export function expand(env: BuildEnv, state: StageState, word: string): string {
  return env.lex.processWord(word, expansionEnv(state));
}

/** `/bin/sh -c #(nop)  ENV A=b`: the history line of a step that runs nothing. */
export function nopCreatedBy(state: StageState, comment: string): string {
  return [...shellOf(state.config), '#(nop) ', comment].join(' ');
}

/** `/bin/sh -c #(nop) COPY …`: one space, as moby writes the lines of COPY, ADD and WORKDIR. */
export function nopCreatedByString(state: StageState, comment: string): string {
  return [...shellOf(state.config), `#(nop) ${comment}`].join(' ');
}

/**
 * Makes the step's image unless the cache has it. `extra` is whatever besides the parent and
 * the history line decides the result (checksums, flags); the run config is always included.
 */
export async function commit(
  env: BuildEnv, state: StageState, createdBy: string, extra: unknown,
  make: (spec: CommitSpec) => Promise<string>,
): Promise<void> {
  const key = cacheKey({ parent: state.imageId, createdBy, extra: [state.config, extra] });
  if (probe(env, key)) { state.imageId = env.cache.get(key)!; return; }
  const restored = await cacheFromHit(env, state, createdBy);
  if (restored) { await env.cache.put(key, restored); state.imageId = restored; return; }
  const id = await make({ parent: state.imageId, config: structuredClone(state.config), createdBy, ...(state.author ? { author: state.author } : {}) });
  await env.cache.put(key, id);
  state.imageId = id;
}

/** Whether a cached result for `key` can be used; prints Docker's line when it can. */
export function probe(env: BuildEnv, key: string): boolean {
  if (env.opts.noCache) return false;
  const hit = env.cache.get(key);
  if (!hit || !env.backend.findImage(hit)) return false;
  env.print(' ---> Using cache\n');
  return true;
}

/** A metadata-only step: a new image sharing the parent's layers. */
export function commitMeta(env: BuildEnv, state: StageState, comment: string): Promise<void> {
  return commit(env, state, nopCreatedBy(state, comment), null, (spec) => env.backend.commitConfig(spec));
}
