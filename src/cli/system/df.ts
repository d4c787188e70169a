/** `skiff system df`: GET /system/df summarised as docker's TYPE TOTAL ACTIVE SIZE RECLAIMABLE table. */
import { formatItems, humanSize, humanSizeWithPrecision } from '../format/index.js';
import { ago } from '../framework/util.js';
import type { Command } from '../framework/command.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

function reclaim(total: number, reclaimable: number): string {
  const pct = total > 0 ? ` (${Math.round((reclaimable * 100) / total)}%)` : '';
  return `${humanSize(reclaimable)}${pct}`;
}

/** `system df -v`: docker's four sections, each a table as its own command prints it. */
async function verbose(imgs: any[], ctrs: any[], vols: any[], cache: any[], cacheSize: number): Promise<string> {
  const [{ imageRows, IMAGE_COLUMNS }, { psContext, PS_COLUMNS }] = await Promise.all([import('../image/images.js'), import('../container/ps-context.js')]);
  const images = formatItems('', imgs.flatMap((i) => imageRows(i, false, true)), IMAGE_COLUMNS, {
    defaultFormat: 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}',
  });
  // The writable layer's size alone (no "virtual"), as docker's disk-usage container table shows it.
  const containers = formatItems('', ctrs.map((c) => psContext({ ...c, SizeRootFs: 0 }, true)), PS_COLUMNS, {
    defaultFormat: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}',
  });
  const volumes = formatItems('', vols.map((v) => ({
    Name: v.Name, Links: String(v.UsageData?.RefCount ?? -1), Size: (v.UsageData?.Size ?? -1) < 0 ? 'N/A' : humanSizeWithPrecision(v.UsageData.Size, 3),
  })), { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' }, { defaultFormat: 'table {{.Name}}\t{{.Links}}\t{{.Size}}' });
  const caches = formatItems('', cache.map((c) => ({
    ID: String(c.ID ?? '').slice(0, 12), CacheType: c.Type ?? '', Size: humanSizeWithPrecision(c.Size ?? 0, 3),
    CreatedSince: c.CreatedAt ? ago(c.CreatedAt) : '', LastUsedSince: c.LastUsedAt ? ago(c.LastUsedAt) : '',
    UsageCount: String(c.UsageCount ?? 0), Shared: String(c.Shared ?? false),
  })), { ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED' },
  { defaultFormat: 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}' });
  return `Images space usage:\n\n${images}\nContainers space usage:\n\n${containers}\nLocal Volumes space usage:\n\n${volumes}\n` +
    `Build cache usage: ${humanSize(cacheSize)}\n\n${caches}`;
}

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Show docker disk usage',
  flags: [
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'verbose', short: 'v', kind: 'bool', help: 'Show detailed information on space usage' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const df = await cli.client.get('/system/df');
    const imgs: any[] = df.Images ?? [];
    const ctrs: any[] = df.Containers ?? [];
    const vols: any[] = df.Volumes ?? [];
    const cache: any[] = df.BuildCache ?? [];
    const imgSize = df.LayersSize ?? imgs.reduce((a, i) => a + (i.Size ?? 0), 0);
    const imgActive = imgs.filter((i) => (i.Containers ?? 0) > 0);
    const ctrSize = ctrs.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
    const ctrActive = ctrs.filter((c) => c.State === 'running');
    const volSize = vols.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
    const volActive = vols.filter((v) => (v.UsageData?.RefCount ?? 0) > 0);
    const cacheSize = cache.reduce((a, c) => a + (c.Size ?? 0), 0);
    const rows = [
      { Type: 'Images', TotalCount: String(imgs.length), Active: String(imgActive.length), Size: humanSize(imgSize),
        Reclaimable: reclaim(imgSize, imgSize - imgActive.reduce((a, i) => a + (i.Size ?? 0) - Math.max(0, i.SharedSize ?? 0), 0)) },
      { Type: 'Containers', TotalCount: String(ctrs.length), Active: String(ctrActive.length), Size: humanSize(ctrSize),
        Reclaimable: reclaim(ctrSize, ctrSize - ctrActive.reduce((a, c) => a + (c.SizeRw ?? 0), 0)) },
      { Type: 'Local Volumes', TotalCount: String(vols.length), Active: String(volActive.length), Size: humanSize(volSize),
        Reclaimable: reclaim(volSize, volSize - volActive.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0)) },
      { Type: 'Build Cache', TotalCount: String(cache.length), Active: String(cache.filter((c) => c.InUse).length), Size: humanSize(cacheSize),
        Reclaimable: humanSize(cache.filter((c) => !c.InUse).reduce((a, c) => a + (c.Size ?? 0), 0)) },
    ];
    if (o.bool('verbose') && !o.str('format')) return void cli.out(await verbose(imgs, ctrs, vols, cache, cacheSize));
    cli.out(formatItems(o.str('format'), rows, COLUMNS, { defaultFormat: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}' }));
  },
};
export default command;
