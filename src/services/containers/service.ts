/**
 * The containers service: the dockerd model of a container's life over the store, the
 * snapshotter and the shim. Records are in memory and persisted; each running container has a
 * task whose exit is awaited here, which drives restart policies, auto-remove and `wait`.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import type { ContainerConfig, HostConfig, NetworkingConfig } from '../../api/types/generated.js';
import { conflict, invalidArgument, notFound, EngineError } from '../../common/errors.js';
import { mergeImageConfig, validateHostConfig } from './create-config.js';
import type { AttachStream, ContainerDeps, ExitStatus, TaskHandle } from './deps.js';
import { generateName, validateName } from './names.js';
import { isRunning, type ContainerRecord } from './record.js';
import { RestartTracker } from './restart-policy.js';
import { cgroupOf, startContainer, taskDir, teardown } from './start.js';
import { ContainerStore } from './store.js';
import { Waiters } from './waiters.js';
import { HealthMonitor } from './health.js';

export interface CreateRequest {
  name?: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  networking?: NetworkingConfig;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function signalNumber(sig: string | number | undefined, fallback = 15): number {
  if (sig === undefined || sig === '') return fallback;
  if (typeof sig === 'number') return sig;
  if (/^\d+$/.test(sig)) return Number(sig);
  const name = sig.toUpperCase().startsWith('SIG') ? sig.toUpperCase() : `SIG${sig.toUpperCase()}`;
  const n = (constants.signals as Record<string, number>)[name];
  if (!n) throw invalidArgument(`Invalid signal: ${sig}`);
  return n;
}

export class ContainersService {
  readonly store: ContainerStore;
  readonly waiters = new Waiters();
  readonly health = new HealthMonitor(this);
  private tasks = new Map<string, TaskHandle>();
  private restarts = new Map<string, RestartTracker>();
  private restartTimers = new Map<string, NodeJS.Timeout>();
  /** Attaches waiting for a created container to start: served before its process runs. */
  private pendingAttach = new Map<string, { attach: (task: TaskHandle) => Promise<void>; fail: (e: unknown) => void }[]>();
  /** Set at daemon shutdown: exits are then recorded without restarts. */
  closing = false;

  constructor(readonly deps: ContainerDeps) {
    this.store = new ContainerStore(join(deps.dataRoot, 'containers'));
  }

  /** Docker's refusals of an attach to a paused or restarting container, naming it as `ref`. */
  checkAttachable(rec: ContainerRecord, ref: string): void {
    if (rec.State.Status === 'paused') throw conflict(`container ${ref} is paused, unpause the container before attach`);
    if (rec.State.Status === 'restarting') throw conflict(`container ${ref} is restarting, wait until the container is running`);
  }

  task(rec: ContainerRecord): TaskHandle {
    const t = this.tasks.get(rec.Id);
    if (!t || !isRunning(rec)) throw conflict(`Container ${rec.Id} is not running`);
    return t;
  }

  private emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.deps.events.emit('container', action, rec.Id, { ...(rec.Config.Labels ?? {}), image: rec.Config.Image ?? '', name: rec.Name.slice(1), ...extra });
  }

  async create(req: CreateRequest): Promise<{ Id: string; Warnings: string[] }> {
    const name = req.name ? validateName(req.name) : generateName((n) => this.store.nameTaken(n));
    if (!req.config.Image) throw invalidArgument('config.Image: image name is required');
    const hostConfig = { ...req.hostConfig, NetworkMode: !req.hostConfig.NetworkMode || req.hostConfig.NetworkMode === 'default' ? 'bridge' : req.hostConfig.NetworkMode } as HostConfig;
    validateHostConfig(hostConfig, req.config);
    const image = await this.deps.images.resolve(req.config.Image);
    const config = mergeImageConfig(req.config, image.config);
    const args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (args.length === 0) throw invalidArgument('no command specified');
    const id = randomBytes(32).toString('hex');
    this.store.reserve(name, id);
    config.Hostname ||= id.slice(0, 12);
    const rec: ContainerRecord = {
      Id: id,
      Name: name,
      Created: new Date().toISOString(),
      Path: args[0]!,
      Args: args.slice(1),
      Config: config,
      HostConfig: hostConfig,
      Image: image.id,
      State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME },
      RestartCount: 0,
      LogPath: join(this.store.dir(id), `${id}-json.log`),
      MountPoints: [],
      Networks: {},
      Ports: {},
      SnapshotKey: id,
      HasBeenStartedBefore: false,
      HasBeenManuallyStopped: false,
      AnonymousVolumes: [],
      ExecIDs: [],
      NetworkingConfig: req.networking,
    };
    try {
      await this.deps.images.prepareRootfs(req.config.Image, rec.SnapshotKey);
      await this.store.save(rec);
    } catch (e) {
      this.store.release(name, id);
      await this.deps.snapshots.remove(rec.SnapshotKey).catch(() => undefined);
      rmSync(this.store.dir(id), { recursive: true, force: true });
      throw e;
    }
    this.emit(rec, 'create');
    return { Id: id, Warnings: [] };
  }

  private resolveNs = (ref: string, kind: 'pid' | 'ipc' | 'net'): string => {
    const other = this.store.get(ref);
    if (other.State.Status !== 'running' || !other.State.Pid) {
      throw conflict(`cannot join namespace of a non running container: container ${other.Id} is ${other.State.Status}`);
    }
    return `/proc/${other.State.Pid}/ns/${kind}`;
  };

  async start(ref: string): Promise<'started' | 'already'> {
    const rec = this.store.get(ref);
    if (rec.State.Status === 'running' || rec.State.Status === 'paused') return 'already';
    if (rec.State.Status === 'removing' || rec.State.Status === 'dead') throw conflict(`container is marked for removal and cannot be started`);
    const timer = this.restartTimers.get(rec.Id);
    if (timer) { clearTimeout(timer); this.restartTimers.delete(rec.Id); }
    rec.HasBeenManuallyStopped = false;
    try {
      await this.run(rec);
    } catch (e) {
      // As dockerd: a --rm container that cannot start is removed, so `docker run --rm` ends.
      if (rec.HostConfig.AutoRemove) await this.remove(rec.Id, { force: true, volumes: true }).catch(() => undefined);
      throw e;
    }
    return 'started';
  }

  private async run(rec: ContainerRecord): Promise<void> {
    let started;
    try {
      started = await startContainer(this.deps, rec, this.resolveNs);
    } catch (e) {
      rec.State = { ...rec.State, Status: rec.HasBeenStartedBefore ? 'exited' : 'created', Error: (e as Error).message, ExitCode: exitCodeFor(e) };
      await this.store.save(rec);
      for (const w of this.pendingAttach.get(rec.Id) ?? []) w.fail(e);
      this.pendingAttach.delete(rec.Id);
      throw e;
    }
    const { task, network } = started;
    this.tasks.set(rec.Id, task);
    const waiting = this.pendingAttach.get(rec.Id) ?? [];
    this.pendingAttach.delete(rec.Id);
    await Promise.all(waiting.map((w) => w.attach(task)));
    try {
      await task.start();
    } catch (e) {
      this.tasks.delete(rec.Id);
      await task.shutdown().catch(() => undefined);
      await teardown(this.deps, rec);
      rec.State = { ...rec.State, Status: rec.HasBeenStartedBefore ? 'exited' : 'created', Error: (e as Error).message };
      await this.store.save(rec);
      throw e;
    }
    if (network) { rec.Networks = network.endpoints; rec.Ports = network.ports; }
    rec.State = {
      ...rec.State, Status: 'running', Pid: task.pid, ExitCode: 0, Error: '', OOMKilled: false,
      StartedAt: new Date().toISOString(), FinishedAt: ZERO_TIME,
      ...(rec.Config.Healthcheck && !(rec.Config.Healthcheck.Test?.[0] === 'NONE') ? { Health: { Status: 'starting' as const, FailingStreak: 0, Log: [] } } : {}),
    };
    rec.HasBeenStartedBefore = true;
    await this.store.save(rec);
    this.emit(rec, 'start');
    this.watch(rec, task);
  }

  /**
   * An attach stream to the container: at once when it runs; for a created container, as soon
   * as its task exists and before its process starts, so no output is missed (`docker run`
   * attaches before it starts the container).
   */
  async attach(ref: string, stdin: boolean): Promise<AttachStream> {
    const rec = this.store.get(ref);
    if (isRunning(rec) && rec.State.Status !== 'restarting') return this.task(rec).attach({ stdin });
    // A created or exited container: the stream begins when it next starts (`docker start -a`
    // attaches first, then starts), as dockerd's attach does.
    if (rec.State.Status !== 'created' && rec.State.Status !== 'exited') throw conflict('You cannot attach to a stopped container, start it first');
    return new Promise((resolve, reject) => {
      const list = this.pendingAttach.get(rec.Id) ?? [];
      list.push({ attach: (task) => task.attach({ stdin }).then(resolve, reject), fail: reject });
      this.pendingAttach.set(rec.Id, list);
    });
  }

  /** Takes over a task found again after a daemon restart. */
  adopt(rec: ContainerRecord, task: TaskHandle, exited?: ExitStatus): void {
    this.tasks.set(rec.Id, task);
    this.watch(rec, task, exited);
  }

  /** Follows a task to its exit. */
  watch(rec: ContainerRecord, task: TaskHandle, already?: ExitStatus): void {
    const done = already ? Promise.resolve(already) : task.wait();
    if (!already) this.health.start(rec);
    done.then((st) => this.onExit(rec, task, st)).catch((e) => this.deps.log('error', `waiting for ${rec.Id}: ${(e as Error).message}`));
  }

  private async onExit(rec: ContainerRecord, task: TaskHandle, st: ExitStatus): Promise<void> {
    this.health.stop(rec.Id);
    const cg = cgroupOf(this.deps, rec);
    const oom = (await cg.oomKillCount().catch(() => 0)) > 0;
    const exitCode = st.signal ? 128 + st.signal : st.exitCode;
    this.tasks.delete(rec.Id);
    await task.shutdown().catch(() => undefined);
    await teardown(this.deps, rec);
    rmSync(taskDir(this.deps, rec.Id), { recursive: true, force: true });
    const ranFor = Date.now() - Date.parse(rec.State.StartedAt);
    rec.State = { ...rec.State, Status: 'exited', Pid: 0, ExitCode: exitCode, OOMKilled: oom, FinishedAt: st.exitedAt || new Date().toISOString() };
    if (rec.State.Health) rec.State.Health = { ...rec.State.Health, Status: 'unhealthy' };
    delete rec.State.Health;
    if (oom) this.emit(rec, 'oom');
    this.emit(rec, 'die', { exitCode: String(exitCode) });
    const tracker = this.restarts.get(rec.Id) ?? new RestartTracker();
    this.restarts.set(rec.Id, tracker);
    const decision = tracker.decide(rec.HostConfig.RestartPolicy, exitCode, rec.RestartCount, rec.HasBeenManuallyStopped, ranFor);
    if (decision.restart && !rec.HostConfig.AutoRemove && !this.closing) {
      rec.State.Status = 'restarting';
      await this.store.save(rec);
      this.waiters.exited(rec.Id, exitCode);
      this.restartTimers.set(rec.Id, setTimeout(() => {
        this.restartTimers.delete(rec.Id);
        if (rec.State.Status !== 'restarting') return;
        rec.RestartCount++;
        this.run(rec).then(() => this.emit(rec, 'restart')).catch((e) => this.deps.log('error', `restarting ${rec.Id}: ${(e as Error).message}`));
      }, decision.delayMs));
      return;
    }
    await this.store.save(rec);
    this.waiters.exited(rec.Id, exitCode);
    if (rec.HostConfig.AutoRemove) {
      await this.remove(rec.Id, { force: true, volumes: true }).catch((e) => this.deps.log('warn', `auto-remove ${rec.Id}: ${(e as Error).message}`));
    }
  }

  async kill(ref: string, signal?: string): Promise<void> {
    const rec = this.store.get(ref);
    if (!isRunning(rec) || rec.State.Status === 'restarting') {
      throw conflict(`Cannot kill container: ${ref}: container ${rec.Id} is not running`);
    }
    const sig = signalNumber(signal, 9);
    await this.task(rec).kill(sig);
    this.emit(rec, 'kill', { signal: String(sig) });
  }

  async stop(ref: string, opts: { signal?: string; timeout?: number } = {}): Promise<'stopped' | 'already'> {
    const rec = this.store.get(ref);
    const timer = this.restartTimers.get(rec.Id);
    if (timer) {
      clearTimeout(timer);
      this.restartTimers.delete(rec.Id);
      rec.State.Status = 'exited';
      rec.HasBeenManuallyStopped = true;
      await this.store.save(rec);
      return 'stopped';
    }
    if (!isRunning(rec)) return 'already';
    rec.HasBeenManuallyStopped = true;
    const task = this.tasks.get(rec.Id);
    const exited = this.waiters.wait(rec.Id, 'next-exit');
    if (!task) {
      // Exiting right now: its exit is being recorded.
      await exited;
      return 'stopped';
    }
    if (rec.State.Status === 'paused') await cgroupOf(this.deps, rec).thaw();
    const sig = signalNumber(opts.signal || rec.Config.StopSignal || undefined, 15);
    const timeout = opts.timeout ?? rec.Config.StopTimeout ?? 10;
    await task.kill(sig).catch(() => undefined);
    const killedIn = timeout < 0 ? undefined : setTimeout(() => { task.kill(9).catch(() => undefined); }, timeout * 1000);
    await exited;
    if (killedIn) clearTimeout(killedIn);
    this.emit(rec, 'stop');
    return 'stopped';
  }

  async restart(ref: string, opts: { signal?: string; timeout?: number } = {}): Promise<void> {
    await this.stop(ref, opts);
    const rec = this.store.get(ref);
    rec.HasBeenManuallyStopped = false;
    await this.run(rec);
    this.emit(rec, 'restart');
  }

  async pause(ref: string): Promise<void> {
    const rec = this.store.get(ref);
    if (rec.State.Status === 'paused') throw conflict(`Container ${rec.Id} is already paused`);
    if (rec.State.Status !== 'running') throw conflict(`Container ${rec.Id} is not running`);
    await cgroupOf(this.deps, rec).freeze();
    rec.State.Status = 'paused';
    await this.store.save(rec);
    this.emit(rec, 'pause');
  }

  async unpause(ref: string): Promise<void> {
    const rec = this.store.get(ref);
    if (rec.State.Status !== 'paused') throw conflict(`Container ${rec.Id} is not paused`);
    await cgroupOf(this.deps, rec).thaw();
    rec.State.Status = 'running';
    await this.store.save(rec);
    this.emit(rec, 'unpause');
  }

  async wait(ref: string, condition: 'not-running' | 'next-exit' | 'removed' = 'not-running', signal?: AbortSignal): Promise<{ StatusCode: number; Error: { Message: string } | null }> {
    const rec = this.store.get(ref);
    if (condition === 'not-running' && !isRunning(rec)) return { StatusCode: rec.State.ExitCode, Error: null };
    const code = await this.waiters.wait(rec.Id, condition, signal);
    return { StatusCode: code, Error: null };
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const rec = this.store.get(ref);
    if (rec.State.Status === 'removing') throw conflict(`removal of container ${rec.Id} is already in progress`);
    if (isRunning(rec) && rec.State.Status !== 'restarting') {
      if (!opts.force) {
        const what = rec.State.Status === 'paused' ? 'paused' : 'running';
        throw conflict(`cannot remove container "${rec.Name}": container is ${what}: ${what === 'paused' ? 'Unpause and then stop' : 'stop'} the container before removing or force remove`);
      }
      rec.HasBeenManuallyStopped = true;
      const exited = this.waiters.wait(rec.Id, 'next-exit');
      if (rec.State.Status === 'paused') await cgroupOf(this.deps, rec).thaw().catch(() => undefined);
      // The task may already be gone: the container exited and its exit is being recorded.
      await this.tasks.get(rec.Id)?.kill(9).catch(() => undefined);
      await exited;
    }
    const timer = this.restartTimers.get(rec.Id);
    if (timer) { clearTimeout(timer); this.restartTimers.delete(rec.Id); }
    rec.State.Status = 'removing';
    await this.deps.mounts?.release(rec, opts.volumes === true).catch((e) => this.deps.log('warn', `volumes of ${rec.Id}: ${(e as Error).message}`));
    await this.deps.snapshots.remove(rec.SnapshotKey).catch((e) => {
      if ((e as EngineError).kind !== 'not-found') this.deps.log('warn', `snapshot of ${rec.Id}: ${(e as Error).message}`);
    });
    this.store.remove(rec);
    this.restarts.delete(rec.Id);
    this.waiters.removed(rec.Id, rec.State.ExitCode);
    for (const w of this.pendingAttach.get(rec.Id) ?? []) w.fail(conflict(`container ${rec.Id} was removed`));
    this.pendingAttach.delete(rec.Id);
    this.emit(rec, 'destroy');
  }

  async rename(ref: string, newName: string): Promise<void> {
    const rec = this.store.get(ref);
    const name = validateName(newName);
    if (name === rec.Name) throw invalidArgument('Renaming a container with the same name as its current name');
    const old = rec.Name;
    this.store.rename(rec, name);
    await this.store.save(rec);
    this.emit(rec, 'rename', { oldName: old });
  }

  get(ref: string): ContainerRecord {
    return this.store.get(ref);
  }

  /** Which containers use an image (for rmi's conflict check). */
  containersUsing(imageId: string): string[] {
    return this.store.all().filter((r) => r.Image === imageId).map((r) => r.Id);
  }

  runningContainersUsing(imageId: string): string[] {
    return this.store.all().filter((r) => r.Image === imageId && isRunning(r)).map((r) => r.Id);
  }

  notFound(ref: string): never {
    throw notFound('container', ref);
  }
}

/** Docker's exit codes for a container that could not start (127 not found, 126 not runnable). */
export function exitCodeFor(e: unknown): number {
  const ex = e as { exitCode?: number };
  return typeof ex.exitCode === 'number' ? ex.exitCode : 128;
}
