/** `skiff volume ls`: GET /volumes in docker's DRIVER VOLUME NAME table, `-q`, `--format`, `--filter`. */
import { formatItems } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { filtersJSON } from '../framework/util.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { Driver: 'DRIVER', Name: 'VOLUME NAME', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE' };

const command: Command = {
  usage: '[OPTIONS]',
  short: 'List volumes',
  aliases: ['skiff volume ls', 'skiff volume list'],
  flags: [
    { long: 'filter', short: 'f', kind: 'list', help: "Provide filter values (e.g. 'dangling=true')" },
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display volume names' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const r = await cli.client.get('/volumes', { filters: filtersJSON(o.list('filter')) });
    const vols = ((r.Volumes ?? []) as any[]).sort((a, b) => a.Name.localeCompare(b.Name)).map((v) => {
      const labels: Record<string, string> = v.Labels ?? {};
      return {
        Driver: v.Driver, Name: v.Name, Scope: v.Scope, Mountpoint: v.Mountpoint,
        Labels: Object.entries(labels).map(([k, x]) => `${k}=${x}`).join(','), Label: (k: string) => labels[k] ?? '',
        Links: v.UsageData ? String(v.UsageData.RefCount) : 'N/A', Size: 'N/A',
      };
    });
    cli.out(formatItems(o.str('format'), vols, COLUMNS, {
      defaultFormat: 'table {{.Driver}}\t{{.Name}}', quiet: o.bool('quiet'), quietFormat: '{{.Name}}',
    }));
  },
};
export default command;
