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
/**
 * The options table as docker 28 prints it: --help not listed, descriptions wrapped to the
 * terminal's width (80 columns when stdout is not a terminal) under their own column, the way
 * pflag's FlagUsagesWrapped lays them out.
 */
export function flagUsages(defs: FlagDef[], columns = helpColumns()): string {
  const rows = defs.filter((d) => !d.hidden).map((d) => {
    const type = d.valueName ?? (d.kind === 'bool' ? '' : d.kind);
    const left = `${d.short ? `-${d.short}, ` : '    '}--${d.long}${type ? ` ${type}` : ''}`;
    // pflag shows a bool's default only when it is true.
    const shown = d.kind === 'bool' ? d.default === true : d.default !== undefined && d.default !== '';
    const def = shown ? ` (default ${typeof d.default === 'string' ? `"${d.default}"` : d.default})` : '';
    return [left, d.help + def] as const;
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 3;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${wrapUsage(width + 2, columns, r)}`).join('\n');
}

/** As docker: the terminal's width less one, or 79. */
function helpColumns(): number {
  return (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80) - 1;
}

/**
 * Splits off a first line of at most n characters, at the text's own line break or else at its
 * last space (all of it when it fits in n + slop).
 */
function firstLine(n: number, slop: number, s: string): [string, string] {
  if (n + slop > s.length) return [s, ''];
  const head = s.slice(0, n);
  const cut = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
  if (cut <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < cut) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, cut), s.slice(cut + 1)];
}

/**
 * Wraps text that starts at column `indent` to `columns`, continuation lines (and the text's own
 * line breaks) indented; with less than 24 columns left it starts on a new line at column 16,
 * and with less than that too it is not wrapped. A line may run 5 characters long rather than
 * leave a short word alone on the next.
 */
export function wrapUsage(indent: number, columns: number, text: string): string {
  let room = columns - indent;
  let out = '';
  if (room < 24) {
    indent = 16;
    room = columns - indent;
    out = `\n${' '.repeat(indent)}`;
  }
  const pad = `\n${' '.repeat(indent)}`;
  if (room < 24) return out + text.replaceAll('\n', pad);
  const slop = 5;
  const lines: string[] = [];
  for (let rest = text; rest !== '';) {
    const [line, more] = firstLine(room - slop, slop, rest);
    lines.push(line.replaceAll('\n', pad));
    rest = more;
  }
  return out + lines.join(pad);
}

const FORMAT_TAIL = `'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\n` +
  'Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates';
/** docker's help for --format on commands that print documents (inspect, version, info, events). */
export const FORMAT_HELP = `Format output using a custom template:\n${FORMAT_TAIL}`;
/** docker's help for --format on commands that print tables. */
export const TABLE_FORMAT_HELP = 'Format output using a custom template:\n' +
  `'table':            Print output in table format with column headers (default)\n` +
  `'table TEMPLATE':   Print output in table format using the given Go template\n${FORMAT_TAIL}`;
