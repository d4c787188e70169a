/**
 * Starting a container: mount its rootfs snapshot, attach its networks, plan its mounts, build
 * the OCI spec, create its cgroup, write the plan and hand it to a new shim. Everything done is
 * undone, in reverse, if a later step fails, so a failed start leaves no mount, netns or cgroup.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildContainerSpec } from '../../oci/container-spec/index.js';
import { mountAll, unmountAll, type Mount } from '../../containerd/snapshots/index.js';
import { openCgroup, type CgroupManager } from '../../runtime/cgroups/index.js';
import { deviceCgroupRules, planContainer } from '../../runtime/planner/index.js';
import { encodePlan } from '../../runtime/plan/encode.js';
import { taskPaths } from '../../containerd/tasks/index.js';
import type { ContainerDeps, NetworkAttachment, TaskHandle } from './deps.js';
import type { ContainerRecord } from './record.js';

export function taskDir(deps: ContainerDeps, id: string): string {
  return join(deps.execRoot, 't', id.slice(0, 12));
}

export function rootfsDir(deps: ContainerDeps, id: string): string {
  return join(deps.dataRoot, 'containers', id, 'rootfs');
}

export function cgroupsPath(deps: ContainerDeps, rec: ContainerRecord): string {
  return `${rec.HostConfig.CgroupParent || deps.cgroupParent}/${rec.Id}`;
}

export function cgroupOf(deps: ContainerDeps, rec: ContainerRecord): CgroupManager {
  return openCgroup(deps.cgroups, cgroupsPath(deps, rec));
}

/**
 * Mounts the container's rootfs. The writable layer of a --rm container is thrown away with it,
 * so its overlay is mounted `volatile` (as podman does for --rm): the unmount then skips syncing
 * the upper directory's filesystem, which is a sync of the whole data-root filesystem and can cost
 * tens of milliseconds on a busy disk. Kernels before 5.10 refuse the option: mounted as usual.
 */
function mountRootfs(mounts: Mount[], rootfs: string, transient: boolean): void {
  if (transient && mounts.some((m) => m.type === 'overlay')) {
    try {
      mountAll(mounts.map((m) => (m.type === 'overlay' ? { ...m, options: [...m.options, 'volatile'] } : m)), rootfs);
      return;
    } catch { /* no volatile on this kernel */ }
  }
  mountAll(mounts, rootfs);
}

export interface Started {
  task: TaskHandle;
  network?: NetworkAttachment;
}

function logOpts(cfg: Record<string, string>): { maxSize?: number; maxFile?: number } {
  const size = cfg['max-size'];
  const m = size ? /^(\d+)([kmg]?)b?$/i.exec(size) : null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return { maxSize: m ? Number(m[1]) * mult : undefined, maxFile: cfg['max-file'] ? Number(cfg['max-file']) : undefined };
}

export async function startContainer(deps: ContainerDeps, rec: ContainerRecord, resolveNs: (ref: string, kind: 'pid' | 'ipc' | 'net') => string): Promise<Started> {
  const undo: (() => Promise<void>)[] = [];
  const rollback = async () => {
    for (const f of undo.reverse()) await f().catch((e) => deps.log('warn', `cleanup after failed start of ${rec.Id}: ${(e as Error).message}`));
  };
  try {
    const rootfs = rootfsDir(deps, rec.Id);
    mkdirSync(rootfs, { recursive: true });
    mountRootfs(await deps.snapshots.mounts(rec.SnapshotKey), rootfs, rec.HostConfig.AutoRemove === true);
    undo.push(async () => unmountAll(rootfs));

    const hc = rec.HostConfig;
    const netMode = hc.NetworkMode || 'bridge';
    let network: NetworkAttachment | undefined;
    let netns: string | 'host' | undefined;
    if (deps.networking) {
      network = await deps.networking.attach(rec, rec.NetworkingConfig);
      undo.push(() => deps.networking!.detach(rec));
      netns = network.netns;
    } else if (netMode === 'host') netns = 'host';
    else if (netMode.startsWith('container:')) netns = resolveNs(netMode.slice(10), 'net');
    const planned = deps.mounts ? await deps.mounts.plan(rec, rootfs) : { mounts: [], mountPoints: [], anonymousVolumes: [] };
    undo.push(async () => { await deps.mounts?.release(rec, false); });
    rec.MountPoints = planned.mountPoints;

    const nsFor = (mode: string | undefined, kind: 'pid' | 'ipc') =>
      mode === 'host' ? 'host' : mode?.startsWith('container:') ? resolveNs(mode.slice(10), kind) : undefined;
    const cg = cgroupOf(deps, rec);
    const spec = buildContainerSpec({
      id: rec.Id,
      config: rec.Config,
      hostConfig: hc,
      rootfs,
      mounts: planned.mounts,
      etcFiles: { hosts: network?.hosts, hostname: network?.hostname, resolvConf: network?.resolvConf },
      namespaces: {
        network: netns,
        pid: nsFor(hc.PidMode, 'pid'),
        ipc: nsFor(hc.IpcMode === 'shareable' || hc.IpcMode === 'private' ? undefined : hc.IpcMode, 'ipc'),
        uts: hc.UTSMode === 'host' ? 'host' : undefined,
        cgroup: hc.CgroupnsMode === 'host' ? 'host' : hc.CgroupnsMode === 'private' ? 'private' : undefined,
      },
      cgroupsPath: cgroupsPath(deps, rec),
      cgroupVersion: cg.version,
      init: deps.init,
    });
    const resources = spec.linux!.resources ?? {};
    await cg.create({ ...resources, devices: deviceCgroupRules(resources.devices, spec.linux!.devices ?? []) });
    undo.push(async () => { await cg.killAll('SIGKILL').catch(() => undefined); await cg.destroy(); });

    const dir = taskDir(deps, rec.Id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const planFile = join(dir, 'plan');
    const consoleSocket = rec.Config.Tty ? taskPaths(dir).consoleSocket : undefined;
    writeFileSync(planFile, encodePlan(planContainer(spec, {
      bundle: join(deps.dataRoot, 'containers', rec.Id),
      consoleSocket,
      execFifo: taskPaths(dir).execFifo,
      cgroupProcs: cg.procsFiles(),
      cgroupVersion: cg.version,
      cgroupMounts: cg.containerMounts(),
    })), { mode: 0o600 });
    writeFileSync(join(deps.dataRoot, 'containers', rec.Id, 'config.json'), JSON.stringify(spec));
    const driver = hc.LogConfig?.Type || deps.logDriver.type;
    const task = await deps.tasks.create({
      id: rec.Id,
      dir,
      planFile,
      logPath: driver === 'none' ? undefined : rec.LogPath,
      logOpts: logOpts({ ...deps.logDriver.config, ...(hc.LogConfig?.Config ?? {}) }),
      terminal: rec.Config.Tty === true,
      stdin: rec.Config.OpenStdin === true,
    });
    return { task, network };
  } catch (e) {
    await rollback();
    throw e;
  }
}

/** Undoes a start once the container has exited: rootfs, network, cgroup, volume mounts. */
export async function teardown(deps: ContainerDeps, rec: ContainerRecord): Promise<void> {
  const errors: string[] = [];
  const step = async (what: string, f: () => Promise<void> | void) => {
    try { await f(); } catch (e) { errors.push(`${what}: ${(e as Error).message}`); }
  };
  const cg = cgroupOf(deps, rec);
  await step('cgroup', async () => {
    // Usually empty by now: killing (freeze, signal, thaw) only when something is left.
    if ((await cg.pids().catch(() => [])).length) await cg.killAll('SIGKILL').catch(() => undefined);
    await cg.destroy();
  });
  await step('network', async () => { await deps.networking?.detach(rec); });
  await step('mounts', async () => { await deps.mounts?.release(rec, false); });
  await step('rootfs', () => unmountAll(rootfsDir(deps, rec.Id)));
  if (errors.length) deps.log('warn', `teardown of ${rec.Id}: ${errors.join('; ')}`);
}
