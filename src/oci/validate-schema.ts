/**
 * The OCI runtime-spec JSON schemas (copied verbatim into ./schema/), compiled with ajv, and
 * ajv's errors turned into one readable line: `<json.path>: <problem>`.
 *
 * The schemas are draft-04, which ajv 8 only speaks through `ajv-draft-04`. Compiling costs tens of
 * milliseconds, so each schema is compiled on first use and kept.
 */
import AjvDraft04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import configSchema from './schema/config-schema.json' with { type: 'json' };
import configLinux from './schema/config-linux.json' with { type: 'json' };
import configSolaris from './schema/config-solaris.json' with { type: 'json' };
import configWindows from './schema/config-windows.json' with { type: 'json' };
import configVm from './schema/config-vm.json' with { type: 'json' };
import configZos from './schema/config-zos.json' with { type: 'json' };
import configFreebsd from './schema/config-freebsd.json' with { type: 'json' };
import defs from './schema/defs.json' with { type: 'json' };
import defsLinux from './schema/defs-linux.json' with { type: 'json' };
import defsWindows from './schema/defs-windows.json' with { type: 'json' };
import defsVm from './schema/defs-vm.json' with { type: 'json' };
import defsZos from './schema/defs-zos.json' with { type: 'json' };
import defsFreebsd from './schema/defs-freebsd.json' with { type: 'json' };
import stateSchema from './schema/state-schema.json' with { type: 'json' };
import featuresSchema from './schema/features-schema.json' with { type: 'json' };
import featuresLinux from './schema/features-linux.json' with { type: 'json' };

type AjvClass = typeof AjvDraft04Module.default;
// The package is CommonJS with `module.exports = Ajv`: Node's ESM loader hands us the class
// itself, while TypeScript's view of it is the module object with a `.default`.
const Ajv: AjvClass =
  (AjvDraft04Module as unknown as { default?: AjvClass }).default ?? (AjvDraft04Module as unknown as AjvClass);

export type SchemaName = 'config' | 'state' | 'features';

const ROOTS: Record<SchemaName, string> = {
  config: 'config-schema.json',
  state: 'state-schema.json',
  features: 'features-schema.json',
};

/** The namespace types in the order config-linux.md lists them, for "must be one of" messages. */
const NAMESPACE_ORDER = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];

/**
 * Two adjustments to defs-linux.json, neither of which rejects anything the original accepts:
 * - runc and containerd use "rslave"/"rshared"/"rprivate"/"runbindable" for rootfsPropagation
 *   (containerd's CRI sets "rslave" for host-to-container mounts), while the schema lists only
 *   the non-recursive names; we accept what runc accepts.
 * - NamespaceType's enum is put in the documented order, which reads better in error messages.
 */
function relaxedDefsLinux(): object {
  type Enum = { enum: string[] };
  const copy = structuredClone(defsLinux) as { definitions: { RootfsPropagation: Enum; NamespaceType: Enum } };
  const names = copy.definitions.RootfsPropagation.enum;
  copy.definitions.RootfsPropagation.enum = [...names, ...names.map((n) => `r${n}`)];
  const ns = copy.definitions.NamespaceType.enum;
  copy.definitions.NamespaceType.enum = [
    ...NAMESPACE_ORDER.filter((n) => ns.includes(n)),
    ...ns.filter((n) => !NAMESPACE_ORDER.includes(n)),
  ];
  return copy;
}

let ajv: InstanceType<AjvClass> | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function instance(): InstanceType<AjvClass> {
  if (ajv) return ajv;
  // strict off: the published schemas put keywords beside $ref and use huge integer bounds,
  // both legal in draft-04 but flagged by ajv's strict mode. verbose keeps the failing value
  // in each error so messages can quote it.
  const a = new Ajv({ strict: false, allErrors: false, verbose: true });
  const files: Record<string, object> = {
    'config-schema.json': configSchema,
    'config-linux.json': configLinux,
    'config-solaris.json': configSolaris,
    'config-windows.json': configWindows,
    'config-vm.json': configVm,
    'config-zos.json': configZos,
    'config-freebsd.json': configFreebsd,
    'defs.json': defs,
    'defs-linux.json': relaxedDefsLinux(),
    'defs-windows.json': defsWindows,
    'defs-vm.json': defsVm,
    'defs-zos.json': defsZos,
    'defs-freebsd.json': defsFreebsd,
    'state-schema.json': stateSchema,
    'features-schema.json': featuresSchema,
    'features-linux.json': featuresLinux,
  };
  // The files carry no `id`; registering each under its file name lets their relative $refs
  // ("defs.json#/definitions/…") resolve against one another.
  for (const [key, schema] of Object.entries(files)) a.addSchema(schema, key);
  ajv = a;
  return a;
}

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = instance().getSchema(ROOTS[name]);
    if (!v) throw new Error(`schema ${ROOTS[name]} did not compile`);
    compiled.set(name, v);
  }
  return v;
}

/** Validates against a schema; returns one readable line for the most specific error, or null. */
export function schemaError(name: SchemaName, data: unknown): string | null {
  const v = validator(name);
  if (v(data)) return null;
  const errors = v.errors ?? [];
  const best = pickError(errors);
  return best ? formatError(best) : 'does not match the schema';
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if']);

/**
 * The error that tells the user most: the deepest path (a wrong `linux.namespaces[2].type` rather
 * than "linux.namespaces[2] must match anyOf"), preferring concrete keywords to combinators.
 */
function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  let bestDepth = -1;
  for (const e of errors) {
    const depth = pathOf(e).length + (COMBINATORS.has(e.keyword) ? 0 : 0.5);
    if (depth > bestDepth) {
      best = e;
      bestDepth = depth;
    }
  }
  return best;
}

/** JSON pointer segments of the failing value; for `required`, the missing field is appended. */
function pathOf(e: ErrorObject): string[] {
  const segs = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map(unescapePointer);
  if (e.keyword === 'required') segs.push(String((e.params as { missingProperty: string }).missingProperty));
  return segs;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** ["linux", "namespaces", "2", "type"] → `linux.namespaces[2].type`; odd keys are quoted. */
export function formatPath(segs: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segs) {
    const s = String(seg);
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** What a value is, for "(got …)": short values are quoted as JSON, long ones by type. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const json = JSON.stringify(v);
  return json.length <= 60 ? json : `a ${typeof v}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function problem(e: ErrorObject): string {
  const got = ` (got ${describeValue(e.data)})`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'type': {
      const types = String(p['type']).split(',').map(article).join(' or ');
      return `must be ${types}${got}`;
    }
    case 'enum':
      return `must be one of ${(p['allowedValues'] as unknown[]).map(String).join(', ')}${got}`;
    case 'pattern':
      return `must match /${String(p['pattern'])}/${got}`;
    case 'minimum':
    case 'maximum':
      return `must be ${String(p['comparison'])} ${String(p['limit'])}${got}`;
    case 'minItems':
      return `must have at least ${String(p['limit'])} item(s)`;
    default:
      return `${e.message ?? 'is invalid'}${got}`;
  }
}

function formatError(e: ErrorObject): string {
  const path = formatPath(pathOf(e));
  return path === '' ? problem(e) : `${path}: ${problem(e)}`;
}
