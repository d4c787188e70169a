/**
 * Daemon start and stop. At start every record is loaded; a container that was running is found
 * again through its shim (live-restore) — still running, or exited while the daemon was down,
 * which is then reported like any exit. Containers whose shim is gone are marked exited. Restart
 * policies `always` and `unless-stopped` start their containers. At stop, without live-restore,
 * running containers are stopped as dockerd does.
 */
import { isRunning } from './record.js';
import type { ContainersService } from './service.js';
import { RestartTracker } from './restart-policy.js';
import { taskDir, teardown } from './start.js';

export async function restoreContainers(svc: ContainersService, log: (msg: string) => void): Promise<void> {
  const recs = svc.store.load((id, e) => log(`skipping container ${id}: ${(e as Error).message}`));
  const toStart: string[] = [];
  for (const rec of recs) {
    if (rec.State.Status === 'removing') {
      await svc.remove(rec.Id, { force: true }).catch(() => undefined);
      continue;
    }
    if (isRunning(rec)) {
      const found = await svc.deps.tasks.load(rec.Id, taskDir(svc.deps, rec.Id)).catch(() => undefined);
      if (found) {
        svc.adopt(rec, found.task, found.exited);
        log(`restored container ${rec.Id.slice(0, 12)} (${found.exited ? 'exited while the daemon was down' : 'running'})`);
        continue;
      }
      await teardown(svc.deps, rec);
      rec.State = { ...rec.State, Status: 'exited', Pid: 0, ExitCode: rec.State.ExitCode || 255, FinishedAt: new Date().toISOString() };
      await svc.store.save(rec);
    }
    if (RestartTracker.onDaemonStart(rec.HostConfig.RestartPolicy, rec.HasBeenManuallyStopped)) toStart.push(rec.Id);
  }
  for (const id of toStart) await svc.start(id).catch((e) => log(`failed to start container ${id}: ${(e as Error).message}`));
}

export async function stopAllContainers(svc: ContainersService, liveRestore: boolean, log: (msg: string) => void): Promise<void> {
  svc.closing = true;
  if (liveRestore) return;
  await Promise.all(svc.store.all().filter(isRunning).map(async (rec) => {
    const manual = rec.HasBeenManuallyStopped;
    await svc.stop(rec.Id).catch((e) => log(`stopping ${rec.Id}: ${(e as Error).message}`));
    // A daemon shutdown is not a manual stop: unless-stopped containers come back at next start.
    rec.HasBeenManuallyStopped = manual;
    await svc.store.save(rec).catch(() => undefined);
  }));
}
