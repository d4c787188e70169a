/** `skiff volume prune`: POST /volumes/prune (`-a` all unused, not just anonymous) after docker's prompt. */
import { humanSize } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Remove unused local volumes',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused volumes, not just anonymous ones' },
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "label=<label>")' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const msg = o.bool('all') ? 'WARNING! This will remove all local volumes not used by at least one container.' : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
    if (!o.bool('force') && !(await confirm(cli, `${msg}\nAre you sure you want to continue?`))) return 0;
    const filters = [...o.list('filter'), ...(o.bool('all') ? ['all=true'] : [])];
    const r = await cli.client.post('/volumes/prune', { filters: filtersJSON(filters) });
    const gone: string[] = r.VolumesDeleted ?? [];
    if (gone.length) cli.out(`Deleted Volumes:\n${gone.join('\n')}\n\n`);
    cli.out(`Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};
export default command;
