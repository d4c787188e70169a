/** `skiff-runc run <id>`: create and start; in the foreground it waits and returns the exit status. */
import { bool, int, str } from '../flags.js';
import { needArgs, type Command } from '../command.js';

export const run: Command = {
  name: 'run',
  usage: 'run [command options] <container-id>',
  summary: 'create and run a container',
  flags: [
    { name: 'bundle', alias: 'b', kind: 'string' },
    { name: 'console-socket', kind: 'string' },
    { name: 'detach', alias: 'd', kind: 'bool' },
    { name: 'keep', kind: 'bool' },
    { name: 'pid-file', kind: 'string' },
    { name: 'preserve-fds', kind: 'int' },
    { name: 'no-pivot', kind: 'bool' },
    { name: 'no-new-keyring', kind: 'bool' },
  ],
  async run(args, f, ctx) {
    needArgs(this, args, 1);
    const detach = bool(f, 'detach');
    const { status } = await ctx.runtime.create({
      id: args[0]!, bundle: str(f, 'bundle') ?? process.cwd(), consoleSocket: str(f, 'console-socket'),
      pidFile: str(f, 'pid-file'), preserveFds: int(f, 'preserve-fds'),
    }, { foreground: !detach, keep: bool(f, 'keep') });
    return detach ? 0 : status ?? 0;
  },
};
