/**
 * `skiff ps` (`container ls`): lists containers in docker's table, or with `--format`, `-q`.
 * `-l` and `-n` become the API's limit; `psFormat` from config.json is the default format.
 */
import { formatItems } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { filtersJSON, jsonRows } from '../framework/util.js';
import { PS_COLUMNS, psContext } from './ps-context.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const command: Command = {
  usage: '[OPTIONS]',
  short: 'List containers',
  aliases: ['skiff container ls', 'skiff container list', 'skiff container ps', 'skiff ps'],
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
    { long: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided', valueName: 'filter' },
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'last', short: 'n', kind: 'int', help: 'Show n last created containers (includes all states)', default: -1 },
    { long: 'latest', short: 'l', kind: 'bool', help: 'Show the latest created container (includes all states)' },
    { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display container IDs' },
    { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    let limit = o.int('last');
    if (o.bool('latest') && limit === -1) limit = 1;
    let format = o.str('format');
    if (!format && !o.bool('quiet')) format = cli.config.psFormat ?? '';
    // docker asks for sizes only when the template shows them.
    const size = o.bool('size') || (format !== '' && format.includes('.Size'));
    const list = await cli.client.get<any[]>('/containers/json', {
      all: o.bool('all') || limit > 0 ? '1' : undefined, limit: limit > 0 ? limit : undefined,
      size: size ? '1' : undefined, filters: filtersJSON(o.list('filter')),
    });
    const trunc = !o.bool('no-trunc');
    let def = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
    if (o.bool('size')) def += '\t{{.Size}}';
    const rows = list.map((c) => psContext(c, trunc));
    if (format === 'json' && !o.bool('quiet')) return void cli.out(await jsonRows(rows));
    cli.out(formatItems(format, rows, PS_COLUMNS, { defaultFormat: def, quiet: o.bool('quiet') }));
  },
};
export default command;
