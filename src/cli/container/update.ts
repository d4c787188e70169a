/**
 * `skiff update`: POST /containers/{id}/update with docker's resource flags and restart policy
 * for each container, printing each name that was updated, then the daemon's warnings.
 */
import { StatusError, type Command } from '../framework/command.js';
import type { FlagDef, FlagValues } from '../framework/flags.js';
import { ramInBytes } from './values.js';

const int = (long: string, help: string, short?: string): FlagDef => ({ long, short, kind: 'int', help, valueName: 'int' });
const FLAGS: FlagDef[] = [
  { long: 'blkio-weight', kind: 'int', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)', valueName: 'uint16' },
  int('cpu-period', 'Limit CPU CFS (Completely Fair Scheduler) period'),
  int('cpu-quota', 'Limit CPU CFS (Completely Fair Scheduler) quota'),
  int('cpu-rt-period', 'Limit the CPU real-time period in microseconds'),
  int('cpu-rt-runtime', 'Limit the CPU real-time runtime in microseconds'),
  int('cpu-shares', 'CPU shares (relative weight)', 'c'),
  { long: 'cpus', kind: 'string', help: 'Number of CPUs', valueName: 'decimal' },
  { long: 'cpuset-cpus', kind: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
  { long: 'cpuset-mems', kind: 'string', help: 'MEMs in which to allow execution (0-3, 0,1)' },
  { long: 'memory', short: 'm', kind: 'string', help: 'Memory limit', valueName: 'bytes' },
  { long: 'memory-reservation', kind: 'string', help: 'Memory soft limit', valueName: 'bytes' },
  { long: 'memory-swap', kind: 'string', help: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap', valueName: 'bytes' },
  int('pids-limit', 'Tune container pids limit (set -1 for unlimited)'),
  { long: 'restart', kind: 'string', help: 'Restart policy to apply when a container exits' },
  { long: 'kernel-memory', kind: 'string', help: 'Kernel memory limit (deprecated)', hidden: true },
];

/** A pflag-style value error for the flag `long` (docker's opts.MemBytes, NanoCPUs). */
function valueError(o: FlagValues, long: string, short: string | undefined, why: string): StatusError {
  const display = short ? `-${short}, --${long}` : `--${long}`;
  return new StatusError(125, `invalid argument "${o.str(long)}" for "${display}" flag: ${why}\n\nUsage:  skiff update [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'skiff update --help' for more information`);
}

function bytes(o: FlagValues, long: string, short?: string, allowMinusOne = false): number {
  if (!o.has(long)) return 0;
  const v = o.str(long);
  if (allowMinusOne && v === '-1') return -1;
  try {
    return ramInBytes(v);
  } catch (e) {
    throw valueError(o, long, short, (e as Error).message);
  }
}

/** docker's opts.ParseRestartPolicy: the name is checked by the daemon, the count here. */
function restartPolicy(s: string): { Name: string; MaximumRetryCount: number } {
  if (s === '') return { Name: '', MaximumRetryCount: 0 };
  const i = s.indexOf(':');
  const name = i < 0 ? s : s.slice(0, i);
  const count = i < 0 ? '' : s.slice(i + 1);
  if (i >= 0 && name === '') throw new StatusError(1, 'invalid restart policy format: no policy provided before colon');
  if (count !== '' && !/^[+-]?\d+$/.test(count)) throw new StatusError(1, 'invalid restart policy format: maximum retry count must be an integer');
  return { Name: name, MaximumRetryCount: count === '' ? 0 : Number(count) };
}

const command: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Update configuration of one or more containers',
  aliases: ['skiff container update', 'skiff update'],
  flags: FLAGS,
  args: { min: 1 },
  async run(cli, o, args) {
    if (!FLAGS.some((f) => o.has(f.long))) throw new StatusError(1, 'you must provide one or more flags when using this command');
    if (o.has('kernel-memory')) cli.err('Flag --kernel-memory has been deprecated, and no longer supported by the kernel\n');
    let nanoCpus = 0;
    if (o.has('cpus')) {
      const n = Number(o.str('cpus'));
      if (o.str('cpus').trim() === '' || !Number.isFinite(n)) throw valueError(o, 'cpus', undefined, `failed to parse ${o.str('cpus')} as a rational number`);
      nanoCpus = Math.round(n * 1e9);
    }
    const body = {
      BlkioWeight: o.int('blkio-weight'), CpusetCpus: o.str('cpuset-cpus'), CpusetMems: o.str('cpuset-mems'),
      CpuShares: o.int('cpu-shares'), Memory: bytes(o, 'memory', 'm'), MemoryReservation: bytes(o, 'memory-reservation'),
      MemorySwap: bytes(o, 'memory-swap', undefined, true), CpuPeriod: o.int('cpu-period'), CpuQuota: o.int('cpu-quota'),
      CpuRealtimePeriod: o.int('cpu-rt-period'), CpuRealtimeRuntime: o.int('cpu-rt-runtime'), NanoCpus: nanoCpus,
      PidsLimit: o.int('pids-limit') !== 0 ? o.int('pids-limit') : undefined,
      RestartPolicy: restartPolicy(o.str('restart')),
    };
    const warnings: string[] = [];
    const errors: string[] = [];
    for (const name of args) {
      try {
        const r = await cli.client.post<{ Warnings?: string[] | null }>(`/containers/${encodeURIComponent(name)}/update`, undefined, body);
        cli.out(`${name}\n`);
        warnings.push(...(r?.Warnings ?? []));
      } catch (e) {
        errors.push(cli.errorText(e));
      }
    }
    if (warnings.length) cli.out(`${warnings.join('\n')}\n`);
    if (errors.length) throw new StatusError(1, errors.join('\n'));
  },
};
export default command;
