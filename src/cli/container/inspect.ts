/** `skiff container inspect`: GET /containers/{id}/json per name, docker's output and errors. */
import type { Command } from '../framework/command.js';
import { inspectEach } from '../system/inspect.js';
import { FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: FORMAT_HELP },
    { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    await inspectEach(cli, o.str('format'), args, (n) => `/containers/${n}/json`, o.bool('size') ? { size: '1' } : undefined);
  },
};
export default command;
