/** `skiff rmi` (`image rm`): DELETE /images/{name}, printing docker's Untagged:/Deleted: lines. */
import type { Command } from '../framework/command.js';
import { StatusError } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  aliases: ['skiff image rm', 'skiff image remove', 'skiff rmi'],
  flags: [
    { long: 'force', short: 'f', kind: 'bool', help: 'Force removal of the image' },
    { long: 'no-prune', kind: 'bool', help: 'Do not delete untagged parents' },
  ],
  args: { min: 1 },
  async run(cli, o, args) {
    const errors: string[] = [];
    for (const name of args) {
      try {
        const items = await cli.client.json<{ Untagged?: string; Deleted?: string }[]>('DELETE', `/images/${encodeURIComponent(name)}`, {
          query: { force: o.bool('force') || undefined, noprune: o.bool('no-prune') || undefined },
        });
        for (const i of items ?? []) cli.out(i.Deleted ? `Deleted: ${i.Deleted}\n` : `Untagged: ${i.Untagged}\n`);
      } catch (e) {
        errors.push(cli.errorText(e));
      }
    }
    if (errors.length) throw new StatusError(1, errors.join('\n'));
  },
};
export default command;
