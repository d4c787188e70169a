/**
 * The shape of one command (docker/cli's cobra.Command, reduced): usage line, flags, argument
 * count rule and a run function. Also the status errors commands throw so that main prints
 * docker's wording and exits with docker's code.
 */
import type { Cli } from './cli.js';
import type { FlagDef, FlagValues } from './flags.js';

export interface ArgsRule {
  min?: number;
  max?: number;
}

export interface Command {
  /** After the command path: `[OPTIONS] CONTAINER [CONTAINER...]`. */
  usage: string;
  short: string;
  flags: FlagDef[];
  args?: ArgsRule;
  /** false: flags end at the first positional argument (run, exec, create). */
  interspersed?: boolean;
  aliases?: string[];
  /** Left out of the help listings, as docker hides `system dial-stdio`. */
  hidden?: boolean;
  /** Returns the exit code (0 when omitted). */
  run(cli: Cli, o: FlagValues, args: string[]): Promise<number | void>;
}

/** An error with an exit status; `message` is printed as is (empty: nothing printed). */
export class StatusError extends Error {
  constructor(readonly status: number, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** docker's cli.RequiresMinArgs / ExactArgs / RequiresMaxArgs wording. */
export function argsError(path: string, usage: string, rule: ArgsRule, n: number): StatusError | undefined {
  const { min, max } = rule;
  let msg: string | undefined;
  let see = 'See';
  const plural = (k: number): string => (k === 1 ? 'argument' : 'arguments');
  if (min !== undefined && max !== undefined && min === max && n !== min) {
    msg = `'${path}' requires ${min} ${plural(min)}`;
    see = 'Run';
  } else if (min !== undefined && max !== undefined && max > 0 && (n < min || n > max)) {
    msg = `'${path}' requires at least ${min} and at most ${max} ${plural(max)}`;
    see = 'Run';
  } else if (min !== undefined && n < min) {
    msg = `'${path}' requires at least ${min} ${plural(min)}`;
  } else if (max !== undefined && n > max) {
    msg = max === 0 ? `'${path}' accepts no arguments` : `'${path}' requires at most ${max} ${plural(max)}`;
    if (max === 0) see = 'Run';
  }
  if (!msg) return undefined;
  return new StatusError(1, `skiff: ${msg}\n\nUsage:  ${[path, usage].filter(Boolean).join(' ')}\n\n${see} '${path} --help' for more information`);
}

/** Container ids are shown as their first 12 hex digits, like docker's stringid.TruncateID. */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return hex.slice(0, 12);
}

/** Runs `fn` for each name, printing results and errors like docker's multi-target commands. */
export async function forEachTarget(cli: Cli, names: string[], fn: (name: string) => Promise<string | void>): Promise<number> {
  const errors: string[] = [];
  for (const name of names) {
    try {
      const out = await fn(name);
      cli.out(`${out ?? name}\n`);
    } catch (e) {
      errors.push(cli.errorText(e));
    }
  }
  if (errors.length) throw new StatusError(1, errors.join('\n'));
  return 0;
}
