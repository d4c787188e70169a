/**
 * `skiff images` (`image ls`): one row per repository:tag (and per digest with --digests), in
 * docker's table REPOSITORY TAG IMAGE ID CREATED SIZE; `-q`, `--format`, `--filter`, `-a`, and
 * `imagesFormat` from config.json.
 */
import { formatItems, humanSizeWithPrecision } from '../format/index.js';
import { shortId, type Command } from '../framework/command.js';
import { ago, filtersJSON, goTimeString, jsonRows } from '../framework/util.js';
import { familiar, splitTag } from './reference.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

export const IMAGE_COLUMNS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
  VirtualSize: 'VIRTUAL SIZE',
};

function row(img: any, repo: string, tag: string, digest: string, trunc: boolean): Record<string, unknown> {
  const none = (n: number | undefined): string => (n === undefined || n < 0 ? 'N/A' : humanSizeWithPrecision(n, 3));
  return {
    Repository: repo, Tag: tag, Digest: digest,
    ID: trunc ? shortId(img.Id) : img.Id,
    CreatedSince: img.Created ? ago(img.Created) : 'N/A',
    CreatedAt: goTimeString(new Date((img.Created ?? 0) * 1000)),
    Size: humanSizeWithPrecision(img.Size ?? 0, 3),
    VirtualSize: humanSizeWithPrecision(img.VirtualSize ?? img.Size ?? 0, 3),
    Containers: img.Containers === undefined || img.Containers < 0 ? 'N/A' : String(img.Containers),
    SharedSize: none(img.SharedSize), UniqueSize: img.SharedSize === undefined || img.SharedSize < 0 ? 'N/A' : none(img.Size - img.SharedSize),
  };
}

/** docker's imageFormat expansion of RepoTags and RepoDigests into rows. */
export function imageRows(img: any, digests: boolean, trunc: boolean): Record<string, unknown>[] {
  const tags = new Map<string, string[]>();
  const dgsts = new Map<string, string[]>();
  for (const ref of (img.RepoTags ?? []) as string[]) {
    if (ref === '<none>:<none>') continue;
    const [repo, tag] = splitTag(familiar(ref));
    if (tag) (tags.get(repo) ?? tags.set(repo, []).get(repo)!).push(tag);
  }
  for (const ref of (img.RepoDigests ?? []) as string[]) {
    const at = ref.indexOf('@');
    if (at < 0 || ref.startsWith('<none>')) continue;
    const repo = familiar(ref.slice(0, at));
    (dgsts.get(repo) ?? dgsts.set(repo, []).get(repo)!).push(ref.slice(at + 1));
  }
  const rows: Record<string, unknown>[] = [];
  for (const [repo, ts] of tags) {
    const ds = digests ? dgsts.get(repo) ?? [] : [];
    dgsts.delete(repo);
    for (const t of ts) {
      if (!ds.length) rows.push(row(img, repo, t, '<none>', trunc));
      else for (const d of ds) rows.push(row(img, repo, t, d, trunc));
    }
  }
  for (const [repo, ds] of dgsts) {
    if (digests) for (const d of ds) rows.push(row(img, repo, '<none>', d, trunc));
    else rows.push(row(img, repo, '<none>', '<none>', trunc));
  }
  if (!tags.size && !dgsts.size) rows.push(row(img, '<none>', '<none>', '<none>', trunc));
  return rows;
}

const command: Command = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  aliases: ['skiff image ls', 'skiff image list', 'skiff images'],
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Show all images (default hides intermediate images)' },
    { long: 'digests', kind: 'bool', help: 'Show digests' },
    { long: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided', valueName: 'filter' },
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { long: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
  ],
  args: { max: 1 },
  async run(cli, o, args) {
    const filters = [...o.list('filter')];
    if (args[0]) filters.push(`reference=${args[0]}`);
    const list = await cli.client.get<any[]>('/images/json', { all: o.bool('all') ? '1' : undefined, filters: filtersJSON(filters) });
    let format = o.str('format');
    if (!format && !o.bool('quiet')) format = cli.config.imagesFormat ?? '';
    const digests = o.bool('digests') || format.includes('.Digest');
    const trunc = !o.bool('no-trunc');
    const rows = list.flatMap((img) => imageRows(img, digests, trunc));
    const def = o.bool('digests')
      ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
      : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
    if (format === 'json' && !o.bool('quiet')) return void cli.out(await jsonRows(rows));
    cli.out(formatItems(format, rows, IMAGE_COLUMNS, { defaultFormat: def, quiet: o.bool('quiet') }));
  },
};
export default command;
