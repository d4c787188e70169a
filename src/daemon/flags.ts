/**
 * skiffd's command line, parsed like dockerd's (pflag): `--flag value`, `--flag=value`, `-H x`,
 * `-Hx`, bare booleans (`-D`, `--tlsverify`, `--debug=false`), repeatable list and map flags.
 * Besides the config options: --config-file, --validate, --help, --version.
 */
import { DEFAULT_CONFIG_FILE, OPTION_BY_FLAG, OPTIONS, type DaemonConfig, type OptionSpec } from './config.js';
import { parseBool, parseInt10, parseKv, parsePool, parseRuntime, parseUlimit } from './values.js';

export interface ParsedFlags {
  /** Values given on the command line. */
  values: Partial<DaemonConfig>;
  /** daemon.json key → the flag's value as Docker prints it in conflict messages. */
  set: Map<string, string>;
  configFile: string;
  configFileSet: boolean;
  validate: boolean;
  help: boolean;
  version: boolean;
}

const META_BOOL = new Set(['validate', 'help', 'h', 'version', 'v']);

function apply(p: ParsedFlags, o: OptionSpec, raw: string, shown: string[]): void {
  const v = p.values as Record<string, unknown>;
  const name = o.flag;
  switch (o.type) {
    case 'bool': v[o.field] = parseBool(raw, name); shown.push(String(v[o.field])); break;
    case 'string': v[o.field] = raw; shown.push(raw); break;
    case 'int': v[o.field] = parseInt10(raw, name); shown.push(raw); break;
    case 'list': ((v[o.field] ??= []) as string[]).push(raw); shown.push(raw); break;
    case 'kv': {
      const [k, val] = parseKv(raw, name);
      ((v[o.field] ??= {}) as Record<string, string>)[k] = val;
      shown.push(raw);
      break;
    }
    case 'features': {
      const [k, val] = raw.includes('=') ? parseKv(raw, name) : [raw, 'true'];
      ((v[o.field] ??= {}) as Record<string, boolean>)[k] = parseBool(val, name);
      shown.push(raw);
      break;
    }
    case 'ulimits': {
      const u = parseUlimit(raw);
      ((v[o.field] ??= {}) as Record<string, unknown>)[u.Name] = u;
      shown.push(raw);
      break;
    }
    case 'runtimes': {
      const [n, rt] = parseRuntime(raw);
      ((v[o.field] ??= {}) as Record<string, unknown>)[n] = rt;
      shown.push(raw);
      break;
    }
    case 'pools': ((v[o.field] ??= []) as unknown[]).push(parsePool(raw)); shown.push(raw); break;
  }
}

/** Throws with pflag's wording on unknown flags and bad values. */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  const p: ParsedFlags = {
    values: {}, set: new Map(), configFile: DEFAULT_CONFIG_FILE, configFileSet: false,
    validate: false, help: false, version: false,
  };
  const shown = new Map<OptionSpec, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      throw new Error(`"skiffd" accepts no arguments.\nSee 'skiffd --help'.`);
    }
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      value = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      name = arg.slice(1, 2);
      const rest = arg.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    }
    const spelled = arg.startsWith('--') ? `--${name}` : `-${name}`;
    if (META_BOOL.has(name)) {
      const on = value === undefined ? true : parseBool(value, name);
      if (name === 'validate') p.validate = on;
      else if (name === 'help' || name === 'h') p.help = on;
      else p.version = on;
      continue;
    }
    if (name === 'config-file') {
      const v = value ?? argv[++i];
      if (v === undefined) throw new Error(`flag needs an argument: ${spelled}`);
      p.configFile = v;
      p.configFileSet = true;
      continue;
    }
    const o = OPTION_BY_FLAG.get(name);
    if (!o) {
      throw new Error(arg.startsWith('--') ? `unknown flag: --${name}` : `unknown shorthand flag: '${name}' in ${arg}`);
    }
    if (value === undefined) {
      if (o.type === 'bool') value = 'true';
      else {
        value = argv[++i];
        if (value === undefined) throw new Error(`flag needs an argument: ${spelled}`);
      }
    }
    const list = shown.get(o) ?? [];
    apply(p, o, value, list);
    shown.set(o, list);
  }
  for (const [o, vals] of shown) {
    const multi = ['list', 'kv', 'features', 'ulimits', 'runtimes', 'pools'].includes(o.type);
    p.set.set(o.key, multi ? `[${vals.join(' ')}]` : vals[vals.length - 1]!);
  }
  return p;
}

export function helpText(): string {
  const lines = OPTIONS.map((o) => {
    const names = `${o.short ? `-${o.short}, ` : '    '}--${o.flag}${o.arg ? ` ${o.arg}` : ''}`;
    return `  ${names.padEnd(40)}${o.help}`;
  });
  return [
    'Usage:\tskiffd [OPTIONS]',
    '',
    'A self-sufficient runtime for containers, speaking the Docker Engine API.',
    '',
    'Options:',
    `  ${'    --config-file string'.padEnd(40)}Daemon configuration file (default "${DEFAULT_CONFIG_FILE}")`,
    `  ${'-h, --help'.padEnd(40)}Print usage`,
    `  ${'    --validate'.padEnd(40)}Validate daemon configuration and exit`,
    `  ${'-v, --version'.padEnd(40)}Print version information and quit`,
    ...lines,
    '',
  ].join('\n');
}
