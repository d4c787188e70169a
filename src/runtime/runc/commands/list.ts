/** `skiff-runc list`: every container under --root, as runc's table, ids only, or JSON. */
import { invalidArgument } from '../../../common/errors.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(Math.max(widths[i]!, 9) + 3))).join('')).join('\n') + '\n';
}

export const list: Command = {
  name: 'list',
  usage: 'list [command options]',
  summary: 'lists containers started by runc with the given root',
  flags: [
    { name: 'format', alias: 'f', kind: 'string' },
    { name: 'quiet', alias: 'q', kind: 'bool' },
  ],
  async run(_args, f, ctx) {
    const store = ctx.runtime.store;
    const items = [];
    for (const rec of store.list()) {
      const status = await store.status(rec);
      items.push({
        ociVersion: rec.config.ociVersion, id: rec.id, pid: status === 'stopped' ? 0 : rec.pid, status,
        bundle: rec.bundle, rootfs: rec.rootfs, created: rec.created, owner: rec.owner,
        ...(rec.annotations ? { annotations: rec.annotations } : {}),
      });
    }
    if (bool(f, 'quiet')) {
      ctx.out(items.map((i) => i.id + '\n').join(''));
      return 0;
    }
    const format = str(f, 'format') ?? 'table';
    if (format === 'json') {
      ctx.out(JSON.stringify(items) + '\n');
      return 0;
    }
    if (format !== 'table') throw invalidArgument('invalid format option');
    const rows = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER']];
    for (const i of items) rows.push([i.id, String(i.pid), i.status, i.bundle, i.created, i.owner]);
    ctx.out(table(rows));
    return 0;
  },
};
