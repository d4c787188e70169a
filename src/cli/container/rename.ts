/** `skiff rename`: POST /containers/{id}/rename?name=. */
import type { Command } from '../framework/command.js';

const command: Command = {
  usage: 'CONTAINER NEW_NAME',
  short: 'Rename a container',
  flags: [],
  args: { min: 2, max: 2 },
  async run(cli, _o, [from, to]) {
    if (!to!.trim()) throw new Error('Error: Neither old nor new names may be empty');
    await cli.client.post(`/containers/${encodeURIComponent(from!)}/rename`, { name: to });
  },
};
export default command;
