/**
 * Tasks under test: one busybox rootfs per fixture, a spec from defaultSpec, one cgroup per
 * container under a unique parent, and the plans written where the shim reads them. cleanup()
 * kills and shuts down whatever was started, removes cgroups and directories, and reports any
 * process, mount or cgroup that outlived it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultSpec } from '../../../src/oci/default-spec.js';
import type { Process, Spec } from '../../../src/oci/runtime-spec.js';
import { validateSpec } from '../../../src/oci/validate.js';
import { detectCgroupLayout, openCgroup, type CgroupManager } from '../../../src/runtime/cgroups/index.js';
import { encodePlan } from '../../../src/runtime/plan/encode.js';
import { deviceCgroupRules, planContainer, planExec } from '../../../src/runtime/planner/index.js';
import { ShimTaskService, execConsoleSocket, taskPaths, type CreateTaskOptions, type Task } from '../../../src/containerd/tasks/index.js';
import { alive } from '../../../src/containerd/tasks/task.js';
import { makeBusyboxRootfs, removeDir, tempDir } from '../../helpers/rootfs.js';

export interface PrepareOptions {
  args: string[];
  terminal?: boolean;
  stdin?: boolean;
  startNow?: boolean;
  log?: boolean;
  logOpts?: { maxSize?: number; maxFile?: number };
  edit?: (s: Spec) => void;
}

interface Entry {
  id: string;
  dir: string;
  spec: Spec;
  cg: CgroupManager;
  pids: Set<number>;
}

export class Fixture {
  readonly root = tempDir('skiff-tasks-');
  readonly bundle = join(this.root, 'b');
  readonly state = join(this.root, 't');
  readonly logs = join(this.root, 'logs');
  readonly cgroupParent = `/skiff-test-${randomBytes(4).toString('hex')}`;
  readonly service = new ShimTaskService();
  private readonly entries = new Map<string, Entry>();

  constructor() {
    makeBusyboxRootfs(join(this.bundle, 'rootfs'));
    mkdirSync(this.state, { mode: 0o700 });
    mkdirSync(this.logs);
  }

  logPath(id: string): string {
    return join(this.logs, `${id}-json.log`);
  }

  /** Writes the plan of a new container and returns the options to create its task with. */
  async prepare(id: string, o: PrepareOptions): Promise<CreateTaskOptions> {
    const spec = defaultSpec();
    spec.process!.terminal = o.terminal ?? false;
    spec.process!.args = o.args;
    spec.root!.readonly = false;
    spec.linux!.cgroupsPath = `${this.cgroupParent}/${id}`;
    o.edit?.(spec);
    const valid = validateSpec(JSON.parse(JSON.stringify(spec)), { bundle: this.bundle });
    const cg = openCgroup(detectCgroupLayout(), valid.linux!.cgroupsPath!);
    const resources = valid.linux?.resources ?? {};
    await cg.create({ ...resources, devices: deviceCgroupRules(resources.devices, valid.linux?.devices ?? []) });
    const dir = join(this.state, id);
    mkdirSync(dir, { mode: 0o700 });
    this.entries.set(id, { id, dir, spec: valid, cg, pids: new Set() });
    const paths = taskPaths(dir);
    const startNow = o.startNow ?? true;
    const plan = encodePlan(planContainer(valid, {
      bundle: this.bundle,
      execFifo: startNow ? undefined : paths.execFifo,
      consoleSocket: o.terminal ? paths.consoleSocket : undefined,
      cgroupProcs: cg.procsFiles(),
      cgroupVersion: cg.version,
      cgroupMounts: cg.containerMounts(),
    }));
    const planFile = join(dir, 'plan');
    writeFileSync(planFile, plan);
    return {
      id, dir, planFile, terminal: o.terminal ?? false, stdin: o.stdin ?? false, startNow,
      logPath: o.log === false ? undefined : this.logPath(id), logOpts: o.logOpts,
    };
  }

  async create(id: string, o: PrepareOptions): Promise<Task> {
    const task = await this.service.create(await this.prepare(id, o));
    this.track(id, task.pid, task.shimPid);
    return task;
  }

  track(id: string, ...pids: number[]): void {
    for (const p of pids) this.entries.get(id)!.pids.add(p);
  }

  /** Writes an exec plan for `task` and returns its path. */
  execPlan(task: Task, execId: string, args: string[], terminal = false): string {
    const e = this.entries.get(task.id)!;
    const proc: Process = { ...e.spec.process!, args, terminal };
    const plan = encodePlan(planExec(proc, {
      pid: task.pid, spec: e.spec, cgroupProcs: e.cg.procsFiles(),
      consoleSocket: terminal ? execConsoleSocket(e.dir, execId) : undefined,
    }));
    const file = join(e.dir, `exec-${execId}.plan`);
    writeFileSync(file, plan);
    return file;
  }

  shimPid(id: string): number | undefined {
    const f = taskPaths(join(this.state, id)).pidFile;
    return existsSync(f) ? Number(readFileSync(f, 'utf8')) : undefined;
  }

  /** Kills everything, shuts the shims down, removes cgroups and dirs; returns what leaked. */
  async cleanup(): Promise<string[]> {
    const leaks: string[] = [];
    for (const e of this.entries.values()) {
      const shim = this.shimPid(e.id);
      if (shim) e.pids.add(shim);
      await e.cg.killAll('SIGKILL').catch(() => undefined);
      const task = await this.service.load(e.id, e.dir).catch(() => undefined);
      if (task) {
        const timer = new AbortController();
        await Promise.race([task.wait(), sleep(5000, undefined, { signal: timer.signal })]).catch(() => undefined);
        timer.abort();
        await task.shutdown().catch((err: Error) => leaks.push(`shutdown ${e.id}: ${err.message}`));
      }
      for (const p of e.pids) {
        if (alive(p)) {
          leaks.push(`process ${p} of ${e.id}`);
          try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
        }
      }
      await e.cg.destroy().catch((err: Error) => leaks.push(`cgroup ${e.id}: ${err.message}`));
    }
    for (const h of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
      const p = join('/sys/fs/cgroup', h, this.cgroupParent);
      if (existsSync(p)) {
        try { rmdirSync(p); } catch { leaks.push(`cgroup dir ${p}`); }
      }
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(this.root));
    leaks.push(...mounts.map((m) => `mount ${m}`));
    removeDir(this.root);
    return leaks;
  }
}
