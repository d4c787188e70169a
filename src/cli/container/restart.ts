/** `skiff restart`: POST /containers/{id}/restart with `-t/--timeout` and `-s/--signal`. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Restart one or more containers',
  aliases: ['skiff container restart', 'skiff restart'],
  flags: [
    { long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' },
    { long: 'timeout', short: 't', kind: 'int', help: 'Seconds to wait before killing the container' },
  ],
  args: { min: 1 },
  run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
    await cli.client.post(`/containers/${encodeURIComponent(name)}/restart`, {
      t: o.has('timeout') ? o.int('timeout') : undefined, signal: o.str('signal') || undefined,
    });
  }),
};
export default command;
