/** `skiff image prune`: POST /images/prune (dangling only unless `-a`) after docker's prompt. */
import { humanSize } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Remove unused images',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images, not just dangling ones' },
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const msg = o.bool('all') ? 'WARNING! This will remove all images without at least one container associated to them.' : 'WARNING! This will remove all dangling images.';
    if (!o.bool('force') && !(await confirm(cli, `${msg}\nAre you sure you want to continue?`))) return 0;
    const r = await cli.client.post('/images/prune', { filters: filtersJSON([...o.list('filter'), `dangling=${!o.bool('all')}`]) });
    const items: { Untagged?: string; Deleted?: string }[] = r.ImagesDeleted ?? [];
    if (items.length) {
      cli.out('Deleted Images:\n');
      for (const i of items) cli.out(i.Deleted ? `deleted: ${i.Deleted}\n` : `untagged: ${i.Untagged}\n`);
      cli.out('\n');
    }
    cli.out(`Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};
export default command;
