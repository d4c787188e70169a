/** `skiff stop`: POST /containers/{id}/stop with `-t/--timeout` and `-s/--signal`, per target. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  aliases: ['skiff container stop', 'skiff stop'],
  flags: [
    { long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' },
    { long: 'timeout', short: 't', kind: 'int', help: 'Seconds to wait before killing the container' },
  ],
  args: { min: 1 },
  run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
    await cli.client.post(`/containers/${encodeURIComponent(name)}/stop`, {
      t: o.has('timeout') ? o.int('timeout') : undefined, signal: o.str('signal') || undefined,
    });
  }),
};
export default command;
