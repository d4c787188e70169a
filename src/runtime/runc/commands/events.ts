/**
 * `skiff-runc events [--stats] [--interval 5s] <id>`: the container's resource usage as runc's
 * event JSON; without --stats a stream of stats events plus an `oom` event each time the kernel
 * OOM-kills a process of the container, until the container stops.
 */
import { invalidArgument } from '../../../common/errors.js';
import type { CgroupStats } from '../../cgroups/index.js';
import { bool, str } from '../flags.js';
import { needArgs, type Command } from '../command.js';

function statsData(s: CgroupStats, oomKills: number): Record<string, unknown> {
  return {
    cpu: {
      usage: { total: s.cpu.usageTotal, percpu: s.cpu.usagePerCpu, kernel: s.cpu.usageSystem, user: s.cpu.usageUser },
      throttling: { periods: s.cpu.throttling.periods, throttledPeriods: s.cpu.throttling.throttledPeriods, throttledTime: s.cpu.throttling.throttledTime },
    },
    memory: {
      usage: { usage: s.memory.usage, max: s.memory.maxUsage, limit: s.memory.limit ?? 0, failcnt: s.memory.failcnt },
      raw: s.memory.stat,
      oomKills,
    },
    pids: { current: s.pids.current, ...(s.pids.limit !== undefined ? { limit: s.pids.limit } : {}) },
    blkio: { ioServiceBytesRecursive: s.blkio.serviceBytes, ioServicedRecursive: s.blkio.serviced },
  };
}

function parseInterval(s: string | undefined): number {
  if (!s) return 5000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s);
  if (!m) throw invalidArgument(`invalid interval "${s}"`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

export const events: Command = {
  name: 'events',
  usage: 'events [command options] <container-id>',
  summary: 'display container events such as OOM notifications, cpu, memory, and IO usage statistics',
  flags: [
    { name: 'stats', kind: 'bool' },
    { name: 'interval', kind: 'string' },
  ],
  async run(args, f, ctx) {
    needArgs(this, args, 1);
    const id = args[0]!;
    const store = ctx.runtime.store;
    const rec = store.load(id);
    const cg = store.cgroup(rec);
    const emit = async (type: string) => {
      const data = type === 'stats' ? statsData(await cg.stats(), await cg.oomKillCount()) : {};
      ctx.out(JSON.stringify({ type, id, data }) + '\n');
    };
    if (bool(f, 'stats')) {
      await emit('stats');
      return 0;
    }
    const interval = parseInterval(str(f, 'interval'));
    let ooms = await cg.oomKillCount();
    let last = 0;
    for (;;) {
      if (!store.exists(id) || (await store.status(store.load(id))) === 'stopped') return 0;
      const now = await cg.oomKillCount().catch(() => ooms);
      for (; ooms < now; ooms++) await emit('oom');
      if (Date.now() - last >= interval) {
        await emit('stats');
        last = Date.now();
      }
      await new Promise((r) => setTimeout(r, Math.min(interval, 200)));
    }
  },
};
