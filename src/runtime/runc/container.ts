/**
 * The OCI lifecycle over the state store, the planner and skiff-init: create (the process waits
 * on the exec fifo), start, run, kill, delete, pause/resume, exec. Illegal moves are conflicts
 * with runc's wording. Shared by the skiff-runc CLI and, later, the daemon's task service.
 */
import { closeSync, openSync, readSync, readFileSync, rmSync, unlinkSync, writeFileSync, constants } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Process, Spec, State } from '../../oci/runtime-spec.js';
import { conflict, invalidArgument, notImplemented, failedPrecondition } from '../../common/errors.js';
import { validateSpec } from '../../oci/validate.js';
import { mknod, S_IFIFO } from '../../sys/mknod.js';
import { detectCgroupLayout, defaultCgroupsPath, openCgroup } from '../cgroups/index.js';
import { runInit, type InitOptions } from '../executor.js';
import { encodePlan } from '../plan/encode.js';
import { deviceCgroupRules, planContainer, planExec } from '../planner/index.js';
import { runHooks } from './hooks.js';
import { FIFO_NAME, StateStore, procStartTime, validateId, type ContainerRecord } from './state-store.js';

export interface CreateOptions {
  id: string;
  bundle: string;
  consoleSocket?: string;
  pidFile?: string;
  preserveFds?: number;
  stdio?: InitOptions['stdio'];
}

export function loadBundleSpec(bundle: string): Spec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(bundle, 'config.json'), 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw invalidArgument(`config.json not found in bundle ${bundle}`);
    throw invalidArgument(`config.json: ${err.message}`);
  }
  return validateSpec(raw, { bundle });
}

function ociState(rec: ContainerRecord, status: State['status']): State {
  return { ociVersion: rec.config.ociVersion, id: rec.id, status, pid: rec.pid, bundle: rec.bundle, annotations: rec.annotations };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class Runtime {
  constructor(readonly store: StateStore) {}

  /** Creates the container; with `run` it starts at once and (foreground) waits for its exit. */
  async create(opts: CreateOptions, run?: { foreground: boolean; keep?: boolean }): Promise<{ rec: ContainerRecord; status?: number }> {
    const id = validateId(opts.id);
    const bundle = resolve(opts.bundle);
    const spec = loadBundleSpec(bundle);
    if (spec.hooks?.createContainer?.length || spec.hooks?.startContainer?.length) {
      throw notImplemented('createContainer and startContainer hooks are not supported');
    }
    if (run && !run.foreground && spec.process?.terminal && !opts.consoleSocket) {
      throw invalidArgument('cannot allocate tty if runc will detach without setting console socket');
    }
    if (!run && spec.process?.terminal && !opts.consoleSocket) {
      throw invalidArgument('cannot allocate tty if runc will detach without setting console socket');
    }
    const dir = this.store.reserve(id);
    const layout = detectCgroupLayout();
    const cgroupsPath = spec.linux?.cgroupsPath ?? defaultCgroupsPath(id);
    const rec: ContainerRecord = {
      id, bundle, rootfs: resolve(bundle, spec.root!.path), pid: 0, pidStartTime: '', created: new Date().toISOString(),
      cgroupsPath, owner: userInfo().username, annotations: spec.annotations, config: spec,
    };
    const cg = openCgroup(layout, cgroupsPath);
    try {
      this.store.save(rec);
      if (!run) mknod(`${dir}/${FIFO_NAME}`, S_IFIFO | 0o622);
      const resources = spec.linux?.resources ?? {};
      await cg.create({ ...resources, devices: deviceCgroupRules(resources.devices, spec.linux?.devices ?? []) });
      writeFileSync(this.store.pidFile(id), '');
      const plan = encodePlan(planContainer(spec, {
        bundle,
        execFifo: run ? undefined : { dir, name: FIFO_NAME },
        consoleSocket: opts.consoleSocket,
        // The pid file is written like a cgroup.procs file, before the process runs.
        cgroupProcs: [...cg.procsFiles(), this.store.pidFile(id)],
        cgroupVersion: cg.version,
        cgroupMounts: cg.containerMounts(),
        preserveFds: opts.preserveFds,
      }));
      let hooksDone: Promise<void> = Promise.resolve();
      const result = await runInit(plan, {
        foreground: run?.foreground,
        forwardSignals: true,
        stdio: opts.stdio,
        onPid: (pid) => {
          rec.pid = pid;
          rec.pidStartTime = procStartTime(pid) ?? '';
          this.store.save(rec);
          if (opts.pidFile) writeFileSync(opts.pidFile, String(pid));
        },
        onStarted: () => {
          hooksDone = (async () => {
            const st = ociState(rec, run ? 'running' : 'created');
            await runHooks(spec.hooks?.prestart, st, 'prestart');
            await runHooks(spec.hooks?.createRuntime, st, 'createRuntime');
            if (run) await runHooks(spec.hooks?.poststart, st, 'poststart');
          })();
        },
      });
      await hooksDone;
      if (run?.foreground && !run.keep) await this.cleanup(rec);
      return { rec, status: result.status };
    } catch (e) {
      await this.destroy(rec).catch(() => undefined);
      throw e;
    }
  }

  async start(id: string): Promise<void> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    if (status === 'stopped') throw conflict('cannot start a container that has stopped');
    if (status !== 'created') throw conflict(`cannot start an already ${status} container`);
    const fifo = this.store.fifo(id);
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(1);
      for (let i = 0; ; i++) {
        try {
          if (readSync(fd, buf, 0, 1, null) === 1) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        }
        if (!this.store.isAlive(rec)) throw failedPrecondition('container process exited before start');
        if (i > 5000) throw failedPrecondition('timed out waiting for the container to start');
        await sleep(1);
      }
    } finally {
      closeSync(fd);
    }
    unlinkSync(fifo);
    await runHooks(rec.config.hooks?.poststart, ociState(rec, 'running'), 'poststart');
  }

  async kill(id: string, signal: NodeJS.Signals | number, all = false): Promise<void> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    if (status === 'stopped') throw conflict('container not running');
    if (all) {
      await this.store.cgroup(rec).killAll(typeof signal === 'number' ? undefined : signal);
      return;
    }
    process.kill(rec.pid, signal);
  }

  async delete(id: string, force = false): Promise<void> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    if (status === 'running' || status === 'paused') {
      if (!force) throw conflict(`cannot delete container ${id} that is not stopped: ${status}`);
    }
    await this.destroy(rec);
  }

  /** Kills whatever is left of the container and removes its cgroup and state. */
  private async destroy(rec: ContainerRecord): Promise<void> {
    const cg = this.store.cgroup(rec);
    if (this.store.isAlive(rec)) {
      try { process.kill(rec.pid, 'SIGKILL'); } catch { /* already gone */ }
      await cg.killAll('SIGKILL').catch(() => undefined);
      await cg.thaw().catch(() => undefined);
      for (let i = 0; i < 2000 && this.store.isAlive(rec); i++) await sleep(2);
    }
    await this.cleanup(rec);
  }

  private async cleanup(rec: ContainerRecord): Promise<void> {
    const cg = this.store.cgroup(rec);
    await cg.killAll('SIGKILL').catch(() => undefined);
    // SIGKILLed tasks leave the cgroup asynchronously; rmdir fails with EBUSY until they have.
    for (let i = 0; i < 500 && (await cg.pids().catch(() => [])).length > 0; i++) await sleep(10);
    await cg.destroy();
    this.store.remove(rec.id);
    await runHooks(rec.config.hooks?.poststop, ociState(rec, 'stopped'), 'poststop').catch(() => undefined);
  }

  async pause(id: string): Promise<void> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    if (status !== 'running' && status !== 'created') throw conflict(`container not running`);
    await this.store.cgroup(rec).freeze();
  }

  async resume(id: string): Promise<void> {
    const rec = this.store.load(id);
    if ((await this.store.status(rec)) !== 'paused') throw conflict('container not paused');
    await this.store.cgroup(rec).thaw();
  }

  async exec(id: string, proc: Process, opts: { detach: boolean; consoleSocket?: string; pidFile?: string; preserveFds?: number }): Promise<number | undefined> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    if (status !== 'running' && status !== 'created') throw conflict(`cannot exec in a ${status} container`);
    if (proc.terminal && opts.detach && !opts.consoleSocket) {
      throw invalidArgument('cannot allocate tty if runc will detach without setting console socket');
    }
    const cg = this.store.cgroup(rec);
    const plan = encodePlan(planExec(proc, {
      pid: rec.pid, spec: rec.config, cgroupProcs: cg.procsFiles(), consoleSocket: opts.consoleSocket, preserveFds: opts.preserveFds,
    }));
    const r = await runInit(plan, {
      foreground: !opts.detach,
      forwardSignals: true,
      onPid: (pid) => { if (opts.pidFile) writeFileSync(opts.pidFile, String(pid)); },
    });
    return r.status;
  }

  async state(id: string): Promise<Record<string, unknown>> {
    const rec = this.store.load(id);
    const status = await this.store.status(rec);
    return {
      ociVersion: rec.config.ociVersion,
      id: rec.id,
      pid: status === 'stopped' ? 0 : rec.pid,
      status,
      bundle: rec.bundle,
      rootfs: rec.rootfs,
      created: rec.created,
      owner: rec.owner,
      ...(rec.annotations ? { annotations: rec.annotations } : {}),
    };
  }
}

export function removePidFile(path: string | undefined): void {
  if (path) rmSync(path, { force: true });
}
