/**
 * `docker exec`: an exec is a record (create) then a process the shim runs in the container's
 * namespaces and cgroup (start), planned from the container's own spec — its capabilities,
 * seccomp and user unless the exec overrides them, as dockerd does.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Process, Spec } from '../../oci/runtime-spec.js';
import { conflict, invalidArgument, notFound } from '../../common/errors.js';
import { planExec } from '../../runtime/planner/index.js';
import { encodePlan } from '../../runtime/plan/encode.js';
import { execConsoleSocket } from '../../containerd/tasks/index.js';
import { capabilitySet, processCapabilities } from '../../oci/container-spec/security.js';
import { resolveUser } from '../../oci/container-spec/user.js';
import type { ContainersService } from './service.js';
import type { ExecHandle } from './deps.js';
import { isRunning } from './record.js';
import { cgroupOf, rootfsDir, taskDir } from './start.js';

export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
  Env?: string[];
  Cmd?: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecRecord {
  ID: string;
  ContainerID: string;
  Config: ExecConfig;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  handle?: ExecHandle;
  started: boolean;
  done?: Promise<void>;
}

export class ExecService {
  private execs = new Map<string, ExecRecord>();

  constructor(private readonly containers: ContainersService) {}

  create(ref: string, config: ExecConfig): string {
    const rec = this.containers.get(ref);
    if (!isRunning(rec)) throw conflict(`container ${rec.Id} is not running`);
    if (rec.State.Status === 'paused') throw conflict(`container ${rec.Id} is paused, unpause the container before exec`);
    if (!config.Cmd?.length) throw invalidArgument('No exec command specified');
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, { ID: id, ContainerID: rec.Id, Config: config, Running: false, ExitCode: null, Pid: 0, started: false });
    rec.ExecIDs.push(id);
    return id;
  }

  get(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw notFound('exec instance', id);
    return e;
  }

  private processFor(e: ExecRecord, spec: Spec): Process {
    const rec = this.containers.get(e.ContainerID);
    const c = e.Config;
    const base = spec.process!;
    const env = [...(base.env ?? [])];
    for (const kv of c.Env ?? []) {
      const k = kv.split('=', 1)[0];
      const i = env.findIndex((x) => x.split('=', 1)[0] === k);
      if (i >= 0) env[i] = kv; else env.push(kv);
    }
    if (c.Tty && !env.some((x) => x.startsWith('TERM='))) env.push('TERM=xterm');
    const rootfs = rootfsDir(this.containers.deps, rec.Id);
    const user = c.User ? resolveUser(rootfs, c.User, rec.HostConfig.GroupAdd ?? []) : base.user;
    const caps = c.Privileged ? processCapabilities(capabilitySet(true)) : base.capabilities;
    return {
      ...base,
      terminal: c.Tty === true,
      args: c.Cmd,
      env,
      cwd: c.WorkingDir || base.cwd,
      user,
      capabilities: caps,
      ...(c.ConsoleSize ? { consoleSize: { height: c.ConsoleSize[0], width: c.ConsoleSize[1] } } : {}),
    };
  }

  async start(id: string): Promise<ExecRecord> {
    const e = this.get(id);
    if (e.started) throw conflict(`Error: Exec command ${id} has already run`);
    const rec = this.containers.get(e.ContainerID);
    if (!isRunning(rec)) throw conflict(`container ${rec.Id} is not running`);
    const task = this.containers.task(rec);
    const spec = JSON.parse(readFileSync(join(this.containers.deps.dataRoot, 'containers', rec.Id, 'config.json'), 'utf8')) as Spec;
    const proc = this.processFor(e, spec);
    const dir = taskDir(this.containers.deps, rec.Id);
    const planFile = join(dir, `exec-${id.slice(0, 12)}.plan`);
    writeFileSync(planFile, encodePlan(planExec(proc, {
      pid: rec.State.Pid, spec, cgroupProcs: cgroupOf(this.containers.deps, rec).procsFiles(),
      consoleSocket: e.Config.Tty ? execConsoleSocket(dir, id) : undefined,
    })), { mode: 0o600 });
    e.started = true;
    e.handle = await task.exec(id, planFile, { terminal: e.Config.Tty === true, stdin: e.Config.AttachStdin === true });
    e.Running = true;
    e.Pid = e.handle.pid;
    e.done = e.handle.wait().then((st) => {
      e.Running = false;
      e.ExitCode = st.signal ? 128 + st.signal : st.exitCode;
    }).catch(() => { e.Running = false; });
    return e;
  }

  /** Resolves once a started exec's exit code is recorded. */
  async settled(id: string): Promise<void> {
    await this.get(id).done;
  }

  inspect(id: string): Record<string, unknown> {
    const e = this.get(id);
    const c = e.Config;
    return {
      CanRemove: false,
      ContainerID: e.ContainerID,
      DetachKeys: c.DetachKeys ?? '',
      ExitCode: e.ExitCode,
      ID: e.ID,
      OpenStderr: c.AttachStderr === true,
      OpenStdin: c.AttachStdin === true,
      OpenStdout: c.AttachStdout === true,
      ProcessConfig: { arguments: (c.Cmd ?? []).slice(1), entrypoint: c.Cmd?.[0] ?? '', privileged: c.Privileged === true, tty: c.Tty === true, user: c.User ?? '' },
      Running: e.Running,
      Pid: e.Pid,
    };
  }

  async resize(id: string, rows: number, cols: number): Promise<void> {
    const e = this.get(id);
    if (!e.handle) throw conflict(`Exec ${id} is not running`);
    await e.handle.resize(rows, cols);
  }

  /** Forgets the execs of a removed container. */
  drop(containerId: string): void {
    for (const [id, e] of this.execs) if (e.ContainerID === containerId) this.execs.delete(id);
  }
}
