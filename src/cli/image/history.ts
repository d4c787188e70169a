/** `skiff history`: GET /images/{name}/history in docker's IMAGE CREATED CREATED BY SIZE COMMENT table. */
import { formatItems, humanSizeWithPrecision } from '../format/index.js';
import { shortId, type Command } from '../framework/command.js';
import { ago, ellipsis } from '../framework/util.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

const command: Command = {
  usage: '[OPTIONS] IMAGE',
  short: 'Show the history of an image',
  aliases: ['skiff image history', 'skiff history'],
  flags: [
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'human', short: 'H', kind: 'bool', help: 'Print sizes and dates in human readable format', default: true },
    { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [name]) {
    const list = await cli.client.get<any[]>(`/images/${encodeURIComponent(name!)}/history`);
    const trunc = !o.bool('no-trunc');
    const human = o.bool('human');
    const rows = list.map((h) => ({
      ID: h.Id === '<missing>' ? '<missing>' : trunc ? shortId(h.Id) : h.Id,
      CreatedSince: human ? ago(h.Created) : new Date(h.Created * 1000).toISOString(),
      CreatedAt: new Date(h.Created * 1000).toISOString(),
      CreatedBy: trunc ? ellipsis(String(h.CreatedBy ?? '').replace(/\t/g, ' '), 45) : h.CreatedBy,
      Size: human ? humanSizeWithPrecision(h.Size ?? 0, 3) : String(h.Size ?? 0),
      Comment: h.Comment ?? '',
    }));
    const def = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
    cli.out(formatItems(o.str('format'), rows, COLUMNS, { defaultFormat: def, quiet: o.bool('quiet') }));
  },
};
export default command;
