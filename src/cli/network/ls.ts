/** `skiff network ls`: GET /networks in docker's NETWORK ID NAME DRIVER SCOPE table. */
import { formatItems } from '../format/index.js';
import { shortId, type Command } from '../framework/command.js';
import { filtersJSON, goTimeString, jsonRows } from '../framework/util.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED' };

const command: Command = {
  usage: '[OPTIONS]',
  short: 'List networks',
  aliases: ['skiff network ls', 'skiff network list'],
  flags: [
    { long: 'filter', short: 'f', kind: 'list', help: 'Provide filter values (e.g. "driver=bridge")' },
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'no-trunc', kind: 'bool', help: 'Do not truncate the output' },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display network IDs' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const list = await cli.client.get<any[]>('/networks', { filters: filtersJSON(o.list('filter')) });
    const trunc = !o.bool('no-trunc');
    const rows = list.sort((a, b) => a.Name.localeCompare(b.Name)).map((n) => {
      const labels: Record<string, string> = n.Labels ?? {};
      return {
        ID: trunc ? shortId(n.Id) : n.Id, Name: n.Name, Driver: n.Driver, Scope: n.Scope,
        IPv4: String(n.EnableIPv4 ?? true), IPv6: String(n.EnableIPv6 ?? false), Internal: String(n.Internal ?? false),
        Labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','), Label: (k: string) => labels[k] ?? '',
        CreatedAt: goTimeString(new Date(n.Created)),
      };
    });
    const format = o.str('format');
    if (format === 'json' && !o.bool('quiet')) return void cli.out(await jsonRows(rows));
    cli.out(formatItems(format, rows, COLUMNS, { defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}', quiet: o.bool('quiet') }));
  },
};
export default command;
