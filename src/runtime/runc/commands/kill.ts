/** `skiff-runc kill <id> [signal]`: signal the container's init (or, with --all, every process). */
import { constants } from 'node:os';
import { invalidArgument } from '../../../common/errors.js';
import { bool } from '../flags.js';
import { needArgs, type Command } from '../command.js';

export function parseSignal(s: string | undefined): NodeJS.Signals | number {
  if (s === undefined) return 'SIGTERM';
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1 || n > 64) throw invalidArgument(`invalid signal: ${s}`);
    return n;
  }
  const name = (s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`) as NodeJS.Signals;
  if (!(name in constants.signals)) throw invalidArgument(`unknown signal "${s}"`);
  return name;
}

export const kill: Command = {
  name: 'kill',
  usage: 'kill [command options] <container-id> [signal]',
  summary: 'kill sends the specified signal (default: SIGTERM) to the container\'s init process',
  flags: [{ name: 'all', alias: 'a', kind: 'bool' }],
  async run(args, f, ctx) {
    needArgs(this, args, 1, 2);
    await ctx.runtime.kill(args[0]!, parseSignal(args[1]), bool(f, 'all'));
    return 0;
  },
};
