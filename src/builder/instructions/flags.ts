/**
 * Instruction flags (`COPY --from=x`, `RUN --mount=…`), BuildKit's BFlags: each instruction
 * declares the flags it accepts, then the flags the parser collected are checked against them.
 * Values stay strings; booleans accept `--link`, `--link=true`, `--link=false`.
 */
import { withSuggestion } from './suggest.js';

type FlagType = 'bool' | 'string' | 'strings';

interface Flag {
  type: FlagType;
  value: string;
  values: string[];
}

export class BuilderFlags {
  private readonly defs = new Map<string, Flag>();
  private readonly used = new Set<string>();
  private parsed = false;

  constructor(private readonly args: readonly string[]) {}

  bool(name: string, def = false): this {
    this.defs.set(name, { type: 'bool', value: def ? 'true' : 'false', values: [] });
    return this;
  }

  string(name: string, def = ''): this {
    this.defs.set(name, { type: 'string', value: def, values: [] });
    return this;
  }

  strings(name: string): this {
    this.defs.set(name, { type: 'strings', value: '', values: [] });
    return this;
  }

  /** Checks the written flags against the declared ones; throws Docker's messages. */
  parse(): this {
    this.parsed = true;
    for (const a of this.args) {
      // POSIX: `--` ends the options.
      if (a === '--') return this;
      if (!a.startsWith('--')) throw new Error(`arg should start with -- : ${a}`);
      const eq = a.indexOf('=');
      const flagName = eq < 0 ? a : a.slice(0, eq);
      const value = eq < 0 ? '' : a.slice(eq + 1);
      const hasValue = eq >= 0;
      const name = flagName.slice(2);
      const flag = this.defs.get(name);
      if (!flag) throw new Error(withSuggestion(`unknown flag: ${flagName}`, name, [...this.defs.keys()], true));
      if (this.used.has(name) && flag.type !== 'strings') throw new Error(`duplicate flag specified: ${flagName}`);
      this.used.add(name);
      if (flag.type === 'bool') {
        if (hasValue && value === '') throw new Error(`missing a value on flag: ${flagName}`);
        const v = value.toLowerCase();
        if (v !== 'true' && v !== 'false' && v !== '') {
          throw new Error(`expecting boolean value for flag ${flagName}, not: ${value}`);
        }
        flag.value = v === 'false' ? 'false' : 'true';
      } else {
        if (!hasValue) throw new Error(`missing a value on flag: ${flagName}`);
        if (flag.type === 'string') flag.value = value;
        else flag.values.push(value);
      }
    }
    return this;
  }

  private get(name: string): Flag {
    const flag = this.defs.get(name);
    if (!flag || !this.parsed) throw new Error(`flag ${name} read before it was declared and parsed`);
    return flag;
  }

  str(name: string): string {
    return this.get(name).value;
  }

  isTrue(name: string): boolean {
    return this.get(name).value === 'true';
  }

  list(name: string): string[] {
    return [...this.get(name).values];
  }

  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  usedNames(): string[] {
    return [...this.used];
  }
}
