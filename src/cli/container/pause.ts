/** `skiff pause`: POST /containers/{id}/pause, per target. */
import { forEachTarget, type Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Pause all processes within one or more containers',
  flags: [],
  args: { min: 1 },
  run: (cli, _o, args) => forEachTarget(cli, args, async (name) => {
    await cli.client.post(`/containers/${encodeURIComponent(name)}/pause`);
  }),
};
export default command;
