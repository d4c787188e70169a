/**
 * `skiff commit`: POST /commit with the container, optional REPOSITORY[:TAG], author, message,
 * Dockerfile changes and pause (on by default); prints the new image id.
 */
import { StatusError, type Command } from '../framework/command.js';
import { splitTag } from '../image/reference.js';

const command: Command = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  aliases: ['skiff container commit', 'skiff commit'],
  flags: [
    { long: 'author', short: 'a', kind: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { long: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { long: 'message', short: 'm', kind: 'string', help: 'Commit message' },
    { long: 'pause', short: 'p', kind: 'bool', help: 'Pause container during commit', default: true },
  ],
  args: { min: 1, max: 2 },
  interspersed: false,
  async run(cli, o, args) {
    const [container, reference] = args as [string, string | undefined];
    let repo: string | undefined;
    let tag: string | undefined;
    if (reference) {
      if (reference.includes('@')) throw new StatusError(1, 'refusing to create a tag with a digest reference');
      [repo, tag] = splitTag(reference);
    }
    const r = await cli.client.post<{ Id: string }>('/commit', {
      container, repo, tag: tag || undefined, comment: o.str('message') || undefined, author: o.str('author') || undefined,
      pause: o.bool('pause'), changes: o.list('change').length ? o.list('change') : undefined,
    });
    cli.out(`${r.Id}\n`);
  },
};
export default command;
