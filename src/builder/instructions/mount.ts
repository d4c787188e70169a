/**
 * `RUN --mount=type=cache,target=/root/.cache,…` (BuildKit `commands_runmount.go`). The value is
 * one CSV record of `key=value` fields. Values may hold build variables, so BuildKit checks only
 * `from=` when the Dockerfile is parsed and reads the rest once variables are known: callers run
 * `parseMount(raw, expand)` at dispatch time with the stage's expander.
 */
import { goQuote } from '../shell/go-quote.js';
import { withSuggestion } from './suggest.js';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type ShareMode = 'shared' | 'private' | 'locked';

const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARE_MODES: readonly ShareMode[] = ['shared', 'private', 'locked'];
const ALL_KEYS = ['type', 'from', 'source', 'target', 'readonly', 'id', 'sharing', 'required', 'size', 'mode',
  'uid', 'gid', 'src', 'dst', 'destination', 'ro', 'rw', 'readwrite', 'env'];

export interface Mount {
  type: MountType;
  from: string;
  source: string;
  target: string;
  readOnly: boolean;
  /** tmpfs size in bytes; 0 when unset. */
  sizeLimit: number;
  cacheId: string;
  cacheSharing: ShareMode | '';
  required: boolean;
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** One CSV record, as Go's encoding/csv reads it (`""` is a quote inside a quoted field). */
export function csvFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('extraneous or missing " in quoted-field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          if (i < text.length && text[i] !== ',') throw new Error('extraneous or missing " in quoted-field');
          break;
        }
        field += text[i++];
      }
    } else {
      const end = text.indexOf(',', i);
      field = text.slice(i, end < 0 ? text.length : end);
      if (field.includes('"')) throw new Error('bare " in non-quoted-field');
      i += field.length;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** docker/go-units `RAMInBytes`: `64m`, `1.5GiB`, `512` — binary multiples. */
export function ramInBytes(size: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(size);
  if (!m) throw new Error(`invalid size: '${size}'`);
  const mult = m[2] ? 1024 ** ('kmgtp'.indexOf(m[2].toLowerCase()) + 1) : 1;
  return Math.trunc(Number.parseFloat(m[1]!) * mult);
}

function parseBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error(`invalid value for ${key}: ${value}`);
}

function parseUint(value: string, radix: 8 | 10, what: string): number {
  const re = radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  const n = re.test(value) ? Number.parseInt(value, radix) : Number.NaN;
  if (!Number.isFinite(n) || n > 0xffffffff) throw new Error(`invalid value ${value} for ${what}`);
  return n;
}

function fieldsOf(raw: string): string[] {
  try {
    return csvFields(raw);
  } catch (e) {
    throw new Error(`failed to parse csv mounts: ${(e as Error).message}`);
  }
}

/** The checks BuildKit makes when the Dockerfile is parsed, before variables are known. */
export function checkMountAtParse(raw: string): void {
  for (const field of fieldsOf(raw)) {
    const eq = field.indexOf('=');
    if (eq < 0 || field.slice(0, eq).toLowerCase() !== 'from') continue;
    const value = field.slice(eq + 1);
    const idx = value.indexOf('$');
    if (idx !== -1 && idx !== value.length - 1) {
      throw new Error("'from' doesn't support variable expansion, define alias stage instead");
    }
  }
}

/** Reads a `--mount` value with variables expanded by `expand`. */
export function parseMount(raw: string, expand: (word: string) => string): Mount {
  const m: Mount = {
    type: 'bind', from: '', source: '', target: '', readOnly: false, sizeLimit: 0, cacheId: '',
    cacheSharing: '', required: false,
  };
  let roAuto = true;
  for (const field of fieldsOf(raw)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro' || key === 'readwrite' || key === 'rw') {
        m.readOnly = key === 'readonly' || key === 'ro';
        roAuto = false;
      } else if (key === 'required') {
        if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = true;
      } else {
        throw new Error(`invalid field '${field}' must be a key=value pair`);
      }
      continue;
    }
    const value = expand(field.slice(eq + 1));
    applyField(m, key, value, field);
    if (['readonly', 'ro', 'readwrite', 'rw'].includes(key)) roAuto = false;
  }
  return validateMount(m, roAuto);
}

function applyField(m: Mount, key: string, value: string, field: string): void {
  switch (key) {
    case 'type': {
      const v = value.toLowerCase() as MountType;
      if (!MOUNT_TYPES.includes(v)) {
        throw new Error(withSuggestion(`unsupported mount type ${goQuote(value)}`, value, MOUNT_TYPES, true));
      }
      m.type = v;
      return;
    }
    case 'from': m.from = value; return;
    case 'source': case 'src': m.source = value; return;
    case 'target': case 'dst': case 'destination': m.target = value; return;
    case 'readonly': case 'ro': m.readOnly = parseBool(key, value); return;
    case 'readwrite': case 'rw': m.readOnly = !parseBool(key, value); return;
    case 'required':
      if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
      m.required = parseBool(key, value);
      return;
    case 'size':
      if (m.type !== 'tmpfs') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
      try {
        m.sizeLimit = ramInBytes(value);
      } catch {
        throw new Error(`invalid value for ${key}: ${value}`);
      }
      return;
    case 'id': m.cacheId = value; return;
    case 'sharing': {
      const v = value.toLowerCase() as ShareMode;
      if (!SHARE_MODES.includes(v)) {
        throw new Error(withSuggestion(`unsupported sharing value ${goQuote(value)}`, value, SHARE_MODES, true));
      }
      m.cacheSharing = v;
      return;
    }
    case 'mode': m.mode = parseUint(value, 8, 'mode'); return;
    case 'uid': m.uid = parseUint(value, 10, 'uid'); return;
    case 'gid': m.gid = parseUint(value, 10, 'gid'); return;
    case 'env': m.env = value; return;
    default:
      throw new Error(withSuggestion(`unexpected key '${key}' in '${field}'`, key, ALL_KEYS, true));
  }
}

function validateMount(m: Mount, roAuto: boolean): Mount {
  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const k of ['mode', 'uid', 'gid'] as const) {
      if (m[k] !== undefined) throw new Error(`${k} not allowed for ${goQuote(m.type)} type mounts`);
    }
  }
  // Bind, secret and ssh mounts are read-only unless asked; caches and tmpfs are writable.
  if (roAuto) m.readOnly = m.type !== 'cache' && m.type !== 'tmpfs';
  if (m.type === 'secret') {
    if (m.from !== '') throw new Error('secret mount should not have a from');
    if (m.cacheSharing !== '') throw new Error('secret mount should not define sharing');
    if (m.source === '' && m.target === '' && m.cacheId === '') {
      throw new Error('invalid secret mount. one of source, target required');
    }
    if (m.source !== '' && m.cacheId !== '') throw new Error("both source and id can't be set");
  }
  if (m.cacheSharing !== '' && m.type !== 'cache') throw new Error(`invalid cache sharing set for ${m.type} mount`);
  return m;
}
