/** `skiff network inspect`: GET /networks/{name} per name (`-v` verbose), docker's output and errors. */
import type { Command } from '../framework/command.js';
import { inspectEach } from '../system/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  short: 'Display detailed information on one or more networks',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP },
    { long: 'verbose', short: 'v', kind: 'bool', help: 'Verbose output for diagnostics' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    await inspectEach(cli, o.str('format'), args, (n) => `/networks/${n}`, o.bool('verbose') ? { verbose: 'true' } : undefined);
  },
};
export default command;
