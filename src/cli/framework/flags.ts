/**
 * Flag parsing with pflag's semantics, as docker's cobra commands see them: `--name=value`,
 * `--name value`, bool flags that take `=false`, short clusters (`-it`, `-an5`), a short flag's
 * value glued (`-n5`, `-n=5`) or next, repeatable list flags, `--` ending the flags, and an
 * option to stop at the first positional argument (docker run: flags after IMAGE belong to the
 * container's command). Errors use pflag's wording.
 */
export type FlagKind = 'bool' | 'string' | 'list' | 'int';

export interface FlagDef {
  long: string;
  short?: string;
  kind: FlagKind;
  help: string;
  default?: string | number | boolean;
  /** Placeholder in help (`string`, `list`, `int`, …). */
  valueName?: string;
  hidden?: boolean;
}

export class FlagError extends Error {}

type Value = string | number | boolean | string[];

export class FlagValues {
  constructor(private readonly values: Map<string, Value>, private readonly changed: Set<string>) {}
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }
  str(name: string): string {
    const v = this.values.get(name);
    return v === undefined ? '' : String(v);
  }
  int(name: string): number {
    return Number(this.values.get(name) ?? 0);
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
  /** True when the user set the flag (pflag's Changed). */
  has(name: string): boolean {
    return this.changed.has(name);
  }
}

export interface ParseResult {
  values: FlagValues;
  args: string[];
  help: boolean;
}

const BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const BOOL_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseFlags(argv: string[], defs: FlagDef[], interspersed = true): ParseResult {
  const byLong = new Map(defs.map((d) => [d.long, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
  const values = new Map<string, Value>();
  const changed = new Set<string>();
  for (const d of defs) {
    if (d.kind === 'list') values.set(d.long, []);
    else if (d.default !== undefined) values.set(d.long, d.default);
  }
  const args: string[] = [];
  let help = false;

  const set = (d: FlagDef, raw: string, display: string): void => {
    changed.add(d.long);
    switch (d.kind) {
      case 'bool':
        if (BOOL_TRUE.has(raw)) values.set(d.long, true);
        else if (BOOL_FALSE.has(raw)) values.set(d.long, false);
        else throw new FlagError(`invalid argument "${raw}" for "${display}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
        break;
      case 'int':
        if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${display}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
        values.set(d.long, Number(raw));
        break;
      case 'list':
        (values.get(d.long) as string[]).push(raw);
        break;
      default:
        values.set(d.long, raw);
    }
  };
  const displayOf = (d: FlagDef): string => (d.short ? `-${d.short}, --${d.long}` : `--${d.long}`);

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'help') { help = true; continue; }
      const d = byLong.get(name);
      if (!d) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(d, a.slice(eq + 1), displayOf(d));
      else if (d.kind === 'bool') set(d, 'true', displayOf(d));
      else if (i + 1 < argv.length) set(d, argv[++i]!, displayOf(d));
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'h' && !byShort.has('h')) { help = true; continue; }
        const d = byShort.get(c);
        if (!d) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (d.kind === 'bool') {
          if (a[j + 1] === '=') { set(d, a.slice(j + 2), displayOf(d)); break; }
          set(d, 'true', displayOf(d));
          continue;
        }
        let rest = a.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '' || a[j + 1] === '=') set(d, rest, displayOf(d));
        else if (i + 1 < argv.length) set(d, argv[++i]!, displayOf(d));
        else throw new FlagError(`flag needs an argument: '${c}' in ${a}`);
        break;
      }
      continue;
    }
    args.push(a);
    if (!interspersed) {
      args.push(...argv.slice(i + 1));
      break;
    }
  }
  return { values: new FlagValues(values, changed), args, help };
}

/** Help lines in docker's style: `  -a, --all             Show all …`. */
export function flagUsages(defs: FlagDef[]): string {
  const rows = defs.filter((d) => !d.hidden).map((d) => {
    const type = d.valueName ?? (d.kind === 'bool' ? '' : d.kind);
    const left = `${d.short ? `-${d.short}, ` : '    '}--${d.long}${type ? ` ${type}` : ''}`;
    const def = d.default !== undefined && d.kind !== 'bool' && d.default !== '' ? ` (default ${typeof d.default === 'string' ? `"${d.default}"` : d.default})` : '';
    return [left, d.help + def] as const;
  });
  rows.push(['    --help', 'Print usage']);
  const width = Math.max(...rows.map((r) => r[0].length)) + 3;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`).join('\n');
}
