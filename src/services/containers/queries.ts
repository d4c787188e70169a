/**
 * Read-side operations of the containers service: list (filters, all, limit, last), inspect,
 * top, stats samples, filesystem changes, prune. They read records from memory.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ContainerSummary } from '../../api/types/generated.js';
import { conflict } from '../../common/errors.js';
import { snapshotChanges } from '../../containerd/snapshots/index.js';
import type { ContainersService } from './service.js';
import { compileFilters, parseFilters } from './filters.js';
import { isRunning, type ContainerRecord } from './record.js';
import { cgroupOf } from './start.js';
import { cpuSection, netDev, statsDocument, systemCpuUsage, type StatsSample } from './stats.js';
import { inspect, summary } from './view.js';

const run = promisify(execFile);

export interface ListOptions { all: boolean; limit?: number; filters: string | null; size: boolean }

export function listContainers(svc: ContainersService, o: ListOptions, imageIds: (ref: string) => Set<string>): ContainerSummary[] {
  const pred = compileFilters(parseFilters(o.filters), { imageIds, container: (ref) => svc.store.get(ref) });
  const all = o.all || (o.limit !== undefined && o.limit > 0) || parseFilters(o.filters).has('status') || parseFilters(o.filters).has('exited');
  let recs = svc.store.all()
    .filter((r) => (all || isRunning(r)) && pred(r))
    .sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
  if (o.limit !== undefined && o.limit > 0) recs = recs.slice(0, o.limit);
  return recs.map((r) => summary(r, svc.deps.images.displayName.bind(svc.deps.images)));
}

/**
 * A container's sizes as `ps -s` / `inspect -s` show them: the writable layer's bytes (SizeRw)
 * and, with the image under it, the whole root filesystem's (SizeRootFs).
 */
export async function containerSizes(svc: ContainersService, rec: { SnapshotKey: string; Image: string }): Promise<{ SizeRw: number; SizeRootFs: number }> {
  const rw = (await svc.deps.snapshots.usage(rec.SnapshotKey).catch(() => ({ size: 0 }))).size;
  return { SizeRw: rw, SizeRootFs: rw + (svc.deps.images.size?.(rec.Image) ?? 0) };
}

/** `GET /containers/json`: with `size`, each container's sizes too. */
export async function listContainersWithSizes(svc: ContainersService, o: ListOptions, imageIds: (ref: string) => Set<string>): Promise<ContainerSummary[]> {
  const list = listContainers(svc, o, imageIds);
  if (!o.size) return list;
  return Promise.all(list.map(async (s) => ({ ...s, ...await containerSizes(svc, svc.store.get(s.Id!)) })));
}

export async function inspectContainer(svc: ContainersService, ref: string, size = false): Promise<ReturnType<typeof inspect>> {
  const rec = svc.store.get(ref);
  if (!size) return inspect(rec);
  const s = await containerSizes(svc, rec);
  return inspect(rec, { sizeRw: s.SizeRw, sizeRootFs: s.SizeRootFs });
}

/** `docker top`: `ps` output (default `-ef`) restricted to the container's processes. */
export async function top(svc: ContainersService, ref: string, psArgs = '-ef'): Promise<{ Titles: string[]; Processes: string[][] }> {
  const rec = svc.store.get(ref);
  if (!isRunning(rec)) throw conflict(`Container ${rec.Id} is not running`);
  const pids = new Set(await cgroupOf(svc.deps, rec).pids());
  const { stdout } = await run('ps', psArgs.split(/\s+/).filter(Boolean), { maxBuffer: 16 << 20 });
  const lines = stdout.trimEnd().split('\n');
  const titles = lines[0]!.trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw conflict(`Couldn't find PID field in ps output`);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (!pids.has(Number(fields[pidCol]))) continue;
    processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  }
  return { Titles: titles, Processes: processes };
}

/** One stats document; `prev` carries precpu_stats between samples of a stream. */
export async function statsSample(svc: ContainersService, rec: ContainerRecord, prev?: StatsSample): Promise<{ doc: Record<string, unknown>; sample: StatsSample }> {
  const running = isRunning(rec);
  const cg = cgroupOf(svc.deps, rec);
  const empty = { cpu: { usageTotal: 0, usagePerCpu: [], usageUser: 0, usageSystem: 0, throttling: { periods: 0, throttledPeriods: 0, throttledTime: 0 } }, memory: { usage: 0, maxUsage: 0, failcnt: 0, stat: {} }, pids: { current: 0 }, blkio: { serviceBytes: [], serviced: [] } };
  const s = running ? await cg.stats().catch(() => empty) : empty;
  const cpu = cpuSection(s as never, running ? await systemCpuUsage() : 0);
  const doc = statsDocument(rec.Id, rec.Name, s as never, cpu, prev, running ? await netDev(rec.State.Pid) : {});
  return { doc, sample: { read: doc.read as string, cpu } };
}

export async function changes(svc: ContainersService, ref: string): Promise<{ Path: string; Kind: number }[]> {
  const rec = svc.store.get(ref);
  const kinds = { C: 0, A: 1, D: 2 } as const;
  const list = await snapshotChanges(svc.deps.snapshots, rec.SnapshotKey);
  return list.map((c) => ({ Path: c.path, Kind: kinds[c.kind] }));
}

export async function prune(svc: ContainersService, filters: string | null): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }> {
  const f = parseFilters(filters);
  for (const k of f.keys()) if (k !== 'until' && k !== 'label' && k !== 'label!') throw conflict(`invalid filter '${k}'`);
  const until = f.get('until')?.map((u) => (/^\d+(\.\d+)?$/.test(u) ? Number(u) * 1000 : Date.parse(u)));
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const r of svc.store.all()) {
    if (isRunning(r) || r.State.Status === 'removing') continue;
    if (until && !until.every((t) => Date.parse(r.Created) < t)) continue;
    const labels = r.Config.Labels ?? {};
    const has = (v: string) => { const [k, val] = v.split('='); return val === undefined ? k! in labels : labels[k!] === val; };
    if (!(f.get('label') ?? []).every(has)) continue;
    if ((f.get('label!') ?? []).some(has)) continue;
    const usage = await svc.deps.snapshots.usage(r.SnapshotKey).catch(() => ({ size: 0 }));
    await svc.remove(r.Id, { volumes: false });
    deleted.push(r.Id);
    reclaimed += usage.size;
  }
  return { ContainersDeleted: deleted, SpaceReclaimed: reclaimed };
}
