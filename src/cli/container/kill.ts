/** `skiff kill`: POST /containers/{id}/kill with `-s/--signal`, per target. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  aliases: ['skiff container kill', 'skiff kill'],
  flags: [{ long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' }],
  args: { min: 1 },
  run: (cli, o, args) => forEachTarget(cli, args, async (name) => {
    await cli.client.post(`/containers/${encodeURIComponent(name)}/kill`, { signal: o.str('signal') || undefined });
  }),
};
export default command;
