/** `skiff system df`: GET /system/df summarised as docker's TYPE TOTAL ACTIVE SIZE RECLAIMABLE table. */
import { formatItems, humanSize } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

function reclaim(total: number, reclaimable: number): string {
  const pct = total > 0 ? ` (${Math.round((reclaimable * 100) / total)}%)` : '';
  return `${humanSize(reclaimable)}${pct}`;
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
    cli.out(formatItems(o.str('format'), rows, COLUMNS, { defaultFormat: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}' }));
  },
};
export default command;
