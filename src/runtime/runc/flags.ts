/**
 * Command-line flags the way runc (urfave/cli) takes them: `--name value`, `--name=value`,
 * `-n value`, boolean flags without a value, repeatable flags, `--` ending flags. Unknown flags
 * are errors with runc's wording.
 */
import { invalidArgument } from '../../common/errors.js';

export interface FlagSpec {
  name: string;
  alias?: string;
  kind: 'bool' | 'string' | 'list' | 'int';
}

export type FlagValues = Record<string, string | boolean | string[] | number | undefined>;

export interface Parsed {
  flags: FlagValues;
  args: string[];
}

/** Parses flags up to the first positional argument when `stopAtPositional`, else interleaved. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], stopAtPositional = false): Parsed {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const flags: FlagValues = {};
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-' || (stopAtPositional && args.length > 0)) {
      args.push(a);
      if (stopAtPositional) {
        args.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw invalidArgument(`flag provided but not defined: -${name}`);
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (spec.kind === 'bool') {
      flags[spec.name] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw invalidArgument(`flag needs an argument: -${name}`);
      value = argv[++i]!;
    }
    if (spec.kind === 'list') {
      const prev = flags[spec.name];
      flags[spec.name] = [...(Array.isArray(prev) ? prev : []), value];
    } else if (spec.kind === 'int') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw invalidArgument(`invalid value "${value}" for flag -${name}: parse error`);
      flags[spec.name] = n;
    } else {
      flags[spec.name] = value;
    }
  }
  return { flags, args };
}

export function str(f: FlagValues, name: string): string | undefined {
  const v = f[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(f: FlagValues, name: string): boolean {
  return f[name] === true;
}

export function list(f: FlagValues, name: string): string[] {
  const v = f[name];
  return Array.isArray(v) ? v : [];
}

export function int(f: FlagValues, name: string): number | undefined {
  const v = f[name];
  return typeof v === 'number' ? v : undefined;
}
