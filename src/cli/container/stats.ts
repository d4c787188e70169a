/**
 * `skiff stats --no-stream`: one sample per container from GET /containers/{id}/stats?stream=0,
 * with docker's CPU % (delta of container over delta of system usage × cpus) and memory
 * (usage minus page cache). Streaming mode redraws every second.
 */
import { bytesSize, formatItems, humanSizeWithPrecision } from '../format/index.js';
import { shortId, type Command } from '../framework/command.js';
import type { Cli } from '../framework/cli.js';
import { TABLE_FORMAT_HELP } from '../framework/flags.js';

const COLUMNS = { Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' };
const DEFAULT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

function row(name: string, s: any): Record<string, unknown> {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const cpu = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  const st = s.memory_stats?.stats ?? {};
  const mem = Math.max(0, (s.memory_stats?.usage ?? 0) - (st.inactive_file ?? st.total_inactive_file ?? 0));
  const limit = s.memory_stats?.limit ?? 0;
  let rx = 0, tx = 0;
  for (const n of Object.values((s.networks ?? {}) as Record<string, any>)) { rx += n.rx_bytes ?? 0; tx += n.tx_bytes ?? 0; }
  let rd = 0, wr = 0;
  for (const b of (s.blkio_stats?.io_service_bytes_recursive ?? []) as any[]) {
    if (/^read$/i.test(b.op)) rd += b.value; else if (/^write$/i.test(b.op)) wr += b.value;
  }
  const h = (n: number): string => humanSizeWithPrecision(n, 3);
  return {
    Container: name, ID: shortId(s.id ?? name), Name: String(s.name ?? '').replace(/^\//, ''),
    CPUPerc: `${cpu.toFixed(2)}%`, MemUsage: `${bytesSize(mem)} / ${bytesSize(limit)}`,
    MemPerc: `${(limit ? (mem / limit) * 100 : 0).toFixed(2)}%`, NetIO: `${h(rx)} / ${h(tx)}`, BlockIO: `${h(rd)} / ${h(wr)}`,
    PIDs: String(s.pids_stats?.current ?? 0),
  };
}

async function sample(cli: Cli, names: string[]): Promise<Record<string, unknown>[]> {
  return Promise.all(names.map(async (n) => row(n, await cli.client.get(`/containers/${encodeURIComponent(n)}/stats`, { stream: 'false' }))));
}

const command: Command = {
  usage: '[OPTIONS] [CONTAINER...]',
  short: 'Display a live stream of container(s) resource usage statistics',
  aliases: ['skiff container stats', 'skiff stats'],
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
    { long: 'format', kind: 'string', help: TABLE_FORMAT_HELP },
    { long: 'no-stream', kind: 'bool', help: 'Disable streaming stats and only pull the first result' },
    { long: 'no-trunc', kind: 'bool', help: 'Do not truncate output' },
  ],
  async run(cli, o, args) {
    const names = args.length ? args : (await cli.client.get<any[]>('/containers/json', { all: o.bool('all') || undefined })).map((c) => c.Id as string);
    for (;;) {
      const rows = await sample(cli, names);
      const text = formatItems(o.str('format'), rows, COLUMNS, { defaultFormat: DEFAULT });
      if (o.bool('no-stream')) return void cli.out(text);
      cli.out(`\x1b[2J\x1b[H${text}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  },
};
export default command;
