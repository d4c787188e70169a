/** `skiff builder prune`: POST /build/prune after docker's confirmation prompt (`-f` skips it). */
import type { Command } from '../framework/command.js';
import { humanSize } from '../format/index.js';
import { confirm } from '../framework/prompt.js';
import { filtersJSON } from '../framework/util.js';
import { ramInBytes } from '../container/values.js';

const command: Command = {
  usage: '',
  short: 'Remove build cache',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused build cache, not just dangling ones' },
    { long: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=24h")' },
    { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
    { long: 'reserved-space', kind: 'string', help: 'Amount of disk space to always allow for the build cache' },
    { long: 'keep-storage', kind: 'string', help: 'Amount of disk space to keep for cache', hidden: true },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const all = o.bool('all');
    const warning = all ? 'WARNING! This will remove all build cache.' : 'WARNING! This will remove all dangling build cache.';
    if (!o.bool('force') && !(await confirm(cli, `${warning} Are you sure you want to continue?`))) return 0;
    const keep = o.str('reserved-space') || o.str('keep-storage');
    const r = await cli.client.post('/build/prune', {
      all: all ? '1' : undefined, filters: filtersJSON(o.list('filter')),
      'reserved-space': keep ? String(ramInBytes(keep)) : undefined,
    });
    const gone: string[] = r?.CachesDeleted ?? [];
    if (gone.length) cli.out(`Deleted build cache objects:\n${gone.join('\n')}\n\n`);
    cli.out(`Total reclaimed space: ${humanSize(r?.SpaceReclaimed ?? 0)}\n`);
  },
};
export default command;
