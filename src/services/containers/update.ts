/**
 * `docker update`: change a container's resource limits and restart policy. The request is
 * merged over the record's HostConfig with moby's rules (daemon/update.go and
 * container.UpdateContainer: zero means "leave as is", NanoCpus and CpuPeriod/CpuQuota exclude
 * each other across updates), the merged HostConfig is validated like a create, persisted, and
 * for a running container written to its cgroup. Device rules are not re-sent: they cannot
 * change here and rewriting them on v1 opens a deny-all window.
 */
import type { HostConfig } from '../../api/types/generated.js';
import { EngineError, invalidArgument } from '../../common/errors.js';
import { buildResources } from '../../oci/container-spec/resources.js';
import { validateHostConfig } from './create-config.js';
import type { ContainersService } from './service.js';
import { isRunning, type ContainerRecord } from './record.js';
import { cgroupOf } from './start.js';

export type UpdateRequest = Pick<HostConfig,
  'CpuShares' | 'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuQuota' | 'CpuPeriod' |
  'CpusetCpus' | 'CpusetMems' | 'PidsLimit' | 'BlkioWeight' | 'RestartPolicy' | 'CpuRealtimePeriod' | 'CpuRealtimeRuntime'> & { KernelMemory?: number };

function cannotUpdate(id: string, e: unknown): EngineError {
  const err = e instanceof EngineError ? e : new EngineError('internal', (e as Error).message);
  return new EngineError(err.kind, `Cannot update container ${id}: ${err.message}`, { cause: e });
}

/** The record's HostConfig with `u` applied; throws Docker's conflicting-option errors. */
export function mergeUpdate(cur: HostConfig, u: UpdateRequest): HostConfig {
  const hc: HostConfig = { ...cur };
  if (u.NanoCpus && u.NanoCpus > 0) {
    if (cur.CpuPeriod) throw invalidArgument('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
    if (cur.CpuQuota) throw invalidArgument('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  }
  if (u.CpuPeriod && u.CpuPeriod > 0 && cur.NanoCpus) throw invalidArgument('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (u.CpuQuota && u.CpuQuota > 0 && cur.NanoCpus) throw invalidArgument('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (u.BlkioWeight) hc.BlkioWeight = u.BlkioWeight;
  if (u.CpuShares) hc.CpuShares = u.CpuShares;
  if (u.NanoCpus) hc.NanoCpus = u.NanoCpus;
  if (u.CpuPeriod) hc.CpuPeriod = u.CpuPeriod;
  if (u.CpuQuota) hc.CpuQuota = u.CpuQuota;
  if (u.CpuRealtimePeriod) hc.CpuRealtimePeriod = u.CpuRealtimePeriod;
  if (u.CpuRealtimeRuntime) hc.CpuRealtimeRuntime = u.CpuRealtimeRuntime;
  if (u.CpusetCpus) hc.CpusetCpus = u.CpusetCpus;
  if (u.CpusetMems) hc.CpusetMems = u.CpusetMems;
  if (u.Memory) {
    // A lower swap limit already in force would be below the new memory limit.
    const swap = cur.MemorySwap ?? 0;
    if (swap > 0 && u.Memory > swap && !u.MemorySwap) {
      throw invalidArgument('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    }
    hc.Memory = u.Memory;
  }
  if (u.MemorySwap) hc.MemorySwap = u.MemorySwap;
  if (u.MemoryReservation) hc.MemoryReservation = u.MemoryReservation;
  if (u.PidsLimit !== undefined && u.PidsLimit !== null) hc.PidsLimit = u.PidsLimit;
  if (u.RestartPolicy?.Name) {
    if (u.RestartPolicy.Name !== 'no' && cur.AutoRemove) throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
    hc.RestartPolicy = u.RestartPolicy;
  }
  return hc;
}

/** Writes the merged limits to a running container's cgroup. */
async function applyToCgroup(svc: ContainersService, rec: ContainerRecord, hc: HostConfig, u: UpdateRequest): Promise<void> {
  const resources = buildResources(hc, []);
  delete resources.devices;
  // "Unlimited" is not carried by buildResources (it leaves absent limits untouched), so an
  // explicit PidsLimit ≤ 0 is spelt out.
  if (u.PidsLimit !== undefined && u.PidsLimit !== null && u.PidsLimit <= 0) resources.pids = { limit: -1 };
  const cg = cgroupOf(svc.deps, rec);
  try {
    await cg.update(resources);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? ((e as { cause?: NodeJS.ErrnoException }).cause?.code);
    if (code === 'EBUSY' && hc.Memory) {
      const usage = await cg.stats().then((s) => s.memory.usage).catch(() => 0);
      throw invalidArgument(`unable to set memory limit to ${hc.Memory} (current usage: ${usage}): device or resource busy`);
    }
    throw e;
  }
}

export async function updateContainer(svc: ContainersService, ref: string, u: UpdateRequest): Promise<{ Warnings: string[] }> {
  const rec = svc.get(ref);
  if (rec.State.Status === 'removing' || rec.State.Status === 'dead') {
    throw cannotUpdate(rec.Id, invalidArgument(`container is marked for removal and cannot be "update"`));
  }
  let hc: HostConfig;
  try {
    hc = mergeUpdate(rec.HostConfig, u);
    validateHostConfig(hc, rec.Config);
  } catch (e) {
    throw cannotUpdate(rec.Id, e);
  }
  const before = rec.HostConfig;
  rec.HostConfig = hc;
  try {
    if (isRunning(rec) && rec.State.Pid > 0) await applyToCgroup(svc, rec, hc, u);
    await svc.store.save(rec);
  } catch (e) {
    // Docker restores the old HostConfig when the runtime refuses the change.
    rec.HostConfig = before;
    throw cannotUpdate(rec.Id, e);
  }
  svc.deps.events.emit('container', 'update', rec.Id, { ...(rec.Config.Labels ?? {}), image: rec.Config.Image ?? '', name: rec.Name.slice(1) });
  return { Warnings: [] };
}
