/** What a skiff-runc verb is: its flags, its usage line and the function that runs it. */
import type { FlagSpec, FlagValues } from './flags.js';
import type { Runtime } from './container.js';

export interface GlobalOptions {
  root: string;
  log?: string;
  logFormat: 'text' | 'json';
  debug: boolean;
}

export interface CommandContext {
  runtime: Runtime;
  global: GlobalOptions;
  out: (s: string) => void;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  flags: FlagSpec[];
  /** Stop flag parsing at the first positional argument (exec's command, ps's ps options). */
  stopAtPositional?: boolean;
  /** Returns the process exit code. */
  run(args: string[], flags: FlagValues, ctx: CommandContext): Promise<number>;
}

export function needArgs(cmd: Command, args: string[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const what = min === max ? `exactly ${min}` : `at least ${min}`;
    throw Object.assign(new Error(`"${cmd.name}" requires ${what} argument(s)`), { usage: true });
  }
}
