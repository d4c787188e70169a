/**
 * The variables a word is expanded against. Callers hold a Map, a plain record or a getter of
 * their own (a build stage's ARG/ENV scope); the lexer only needs lookups that tell "unset" from
 * "set to empty", which is what `${v-d}` and `${v:-d}` distinguish.
 */

export interface EnvGetter {
  /** The value, or undefined when the variable is unset. */
  get(key: string): string | undefined;
  keys(): string[];
}

export type EnvSource = EnvGetter | ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function isGetter(env: object): env is EnvGetter {
  const g = env as Partial<EnvGetter>;
  return typeof g.get === 'function' && typeof g.keys === 'function';
}

export function toEnvGetter(env: EnvSource): EnvGetter {
  if (env instanceof Map) {
    return { get: (k) => env.get(k), keys: () => [...env.keys()] };
  }
  if (isGetter(env)) return env;
  const rec = env as Readonly<Record<string, string>>;
  return {
    get: (k) => (Object.hasOwn(rec, k) ? rec[k] : undefined),
    keys: () => Object.keys(rec),
  };
}

/** `KEY=value` strings (a container's Env) as a getter; a later duplicate wins, as in Docker. */
export function envFromList(list: readonly string[]): EnvGetter {
  const map = new Map<string, string>();
  for (const entry of list) {
    const i = entry.indexOf('=');
    if (i < 0) map.set(entry, '');
    else map.set(entry.slice(0, i), entry.slice(i + 1));
  }
  return toEnvGetter(map);
}

/** A getter with no variables, used where BuildKit lexes without an environment (heredocs). */
export const EMPTY_ENV: EnvGetter = { get: () => undefined, keys: () => [] };
