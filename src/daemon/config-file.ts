/**
 * daemon.json: reading, Docker's checks (unknown keys, keys also given as flags, value types) and
 * the merge defaults ← file ← flags. Failures are one line, worded as dockerd words them:
 * `unable to configure the Docker daemon with file <path>: …`.
 */
import { readFile } from 'node:fs/promises';
import { OPTION_BY_KEY, defaultConfig, resolvePaths, type DaemonConfig, type OptionSpec } from './config.js';
import type { ParsedFlags } from './flags.js';
import { parsePool, parseUlimit, validateConfig } from './values.js';

/** Keys whose object values are values, not groups of options to flatten (moby flatOptions). */
const FLAT = new Set(['log-opts', 'runtimes', 'default-ulimits', 'features', 'builder', 'default-network-opts']);
/** Keys accepted without a matching flag (moby skipValidateOptions). */
const SKIP_UNKNOWN = new Set(['builder', 'deprecated-key-path', 'allow-nondistributable-artifacts']);
/** Keys that may be given both ways and merge (moby skipDuplicates). */
const SKIP_DUPLICATE = new Set(['runtimes']);

/** Go's %v of a JSON value, as dockerd prints the file side of a conflict. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v && typeof v === 'object') {
    return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

const GO_TYPE: Record<string, string> = { bool: 'bool', string: 'string', int: 'int', list: '[]string', kv: 'map[string]string', features: 'map[string]bool', ulimits: 'map[string]*units.Ulimit', runtimes: 'map[string]system.Runtime', pools: '[]*address.Pool' };

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Converts one file value into the config field, or throws Go's unmarshal wording. */
function fromJson(o: OptionSpec, v: unknown): unknown {
  const mismatch = (): never => {
    throw new Error(`invalid JSON: json: cannot unmarshal ${jsonType(v)} into Go struct field Config.${o.key} of type ${GO_TYPE[o.type]}`);
  };
  const isStrList = (x: unknown): x is string[] => Array.isArray(x) && x.every((e) => typeof e === 'string');
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  switch (o.type) {
    case 'bool': return typeof v === 'boolean' ? v : mismatch();
    case 'string': return typeof v === 'string' ? v : mismatch();
    case 'int': return typeof v === 'number' && Number.isInteger(v) ? v : mismatch();
    case 'list': return isStrList(v) ? [...v] : mismatch();
    case 'kv':
      if (!isObj(v) || !Object.values(v).every((x) => typeof x === 'string')) return mismatch();
      return { ...v };
    case 'features':
      if (!isObj(v) || !Object.values(v).every((x) => typeof x === 'boolean')) return mismatch();
      return { ...v };
    case 'runtimes': {
      if (!isObj(v)) return mismatch();
      const out: Record<string, unknown> = {};
      for (const [n, rt] of Object.entries(v)) {
        if (!isObj(rt) || typeof rt['path'] !== 'string') return mismatch();
        out[n] = { path: rt['path'], ...(isStrList(rt['runtimeArgs']) ? { runtimeArgs: rt['runtimeArgs'] } : {}) };
      }
      return out;
    }
    case 'ulimits': {
      if (!isObj(v)) return mismatch();
      const out: Record<string, unknown> = {};
      for (const [n, u] of Object.entries(v)) {
        if (!isObj(u)) return mismatch();
        out[n] = parseUlimit(`${n}=${Number(u['Soft'])}:${Number(u['Hard'])}`);
      }
      return out;
    }
    case 'pools':
      if (!Array.isArray(v)) return mismatch();
      return v.map((p) => (isObj(p) ? parsePool(`base=${p['base']},size=${p['size']}`) : mismatch()));
  }
}

export interface FileConfig {
  values: Partial<DaemonConfig>;
  keys: Set<string>;
}

/** Parses daemon.json text against the flags; throws the bare reason (no file prefix). */
export function parseConfigText(text: string, flags: ParsedFlags): FileConfig {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { values: {}, keys: new Set() };
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (e) {
    throw new Error(`invalid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`invalid JSON: json: cannot unmarshal ${jsonType(raw)} into Go value of type map[string]interface {}`);
  }
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && !FLAT.has(k)) Object.assign(flat, v);
    else flat[k] = v;
  }
  const unknown = Object.keys(flat).filter((k) => !OPTION_BY_KEY.has(k) && !SKIP_UNKNOWN.has(k));
  if (unknown.length) throw new Error(`the following directives don't match any configuration option: ${unknown.join(', ')}`);
  const conflicts: string[] = [];
  for (const [key, shown] of flags.set) {
    if (key in flat && !SKIP_DUPLICATE.has(key)) conflicts.push(`${key}: (from flag: ${shown}, from file: ${goValue(flat[key])})`);
  }
  if (conflicts.length) {
    throw new Error(`the following directives are specified both as a flag and in the configuration file: ${conflicts.join(', ')}`);
  }
  const values: Record<string, unknown> = {};
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(flat)) {
    const o = OPTION_BY_KEY.get(k);
    if (!o) continue;
    values[o.field] = fromJson(o, v);
    keys.add(k);
  }
  return { values: values as Partial<DaemonConfig>, keys };
}

/**
 * The effective configuration: defaults ← daemon.json ← flags, validated. A missing file is
 * fine unless --config-file named it. Throws one line.
 */
export async function loadConfig(flags: ParsedFlags): Promise<{ config: DaemonConfig; fileKeys: Set<string> }> {
  let file: FileConfig = { values: {}, keys: new Set() };
  let text: string | undefined;
  try {
    text = await readFile(flags.configFile, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (flags.configFileSet || code !== 'ENOENT') {
      throw new Error(`unable to configure the Docker daemon with file ${flags.configFile}: open ${flags.configFile}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
  }
  if (text !== undefined) {
    try {
      file = parseConfigText(text, flags);
    } catch (e) {
      throw new Error(`unable to configure the Docker daemon with file ${flags.configFile}: ${(e as Error).message}`);
    }
  }
  const merged = mergeConfig(file.values, flags.values);
  const err = validateConfig(merged);
  if (err) throw new Error(`merged configuration validation from file and command line flags failed: ${err}`);
  return { config: merged, fileKeys: file.keys };
}

export function mergeConfig(file: Partial<DaemonConfig>, flags: Partial<DaemonConfig>): DaemonConfig {
  const merged = { ...defaultConfig(), ...file, ...flags };
  // runtimes may come from both sides (skipDuplicates): the union.
  merged.runtimes = { ...(file.runtimes ?? {}), ...(flags.runtimes ?? {}) };
  if (merged.tlsverify) merged.tls = true;
  return resolvePaths(merged);
}
