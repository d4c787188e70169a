/**
 * Health checks (moby daemon/health.go): while a container with a `Config.Healthcheck` runs,
 * its test runs as an exec every Interval (StartInterval while still starting within the
 * StartPeriod), bounded by Timeout. A pass resets the failing streak and makes the container
 * healthy; a failure counts (except while starting within the StartPeriod) and Retries of them
 * in a row make it unhealthy. The last five results are kept in `State.Health.Log`, and every
 * change of status is a `health_status: <status>` event.
 */
import type { HealthConfig } from '../../api/types/generated.js';
import { ExecService } from './exec.js';
import type { ContainersService } from './service.js';
import type { ContainerRecord, HealthLog } from './record.js';

const NS_PER_MS = 1e6;
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const MAX_LOG = 5;
const MAX_OUTPUT = 4096;

/** Go's time.Duration String() for the whole-ms values we format: "1s", "1.5s", "500ms", "2m0s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const m = Math.floor(ms / 60_000);
  const s = String((ms % 60_000) / 1000);
  return m ? `${m >= 60 ? `${Math.floor(m / 60)}h${m % 60}m` : `${m}m`}${s}s` : `${s}s`;
}

/** The argv of a health test, or undefined when there is nothing to run. */
export function probeCommand(hc: HealthConfig | undefined, shell: string[] | null | undefined): string[] | undefined {
  const test = hc?.Test ?? [];
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  if (test[0] === 'CMD') return test.length > 1 ? test.slice(1) : undefined;
  if (test[0] === 'CMD-SHELL') return [...(shell?.length ? shell : ['/bin/sh', '-c']), test.slice(1).join(' ')];
  return undefined;
}

const ms = (ns: number | undefined, def: number): number => (ns && ns > 0 ? Math.round(ns / NS_PER_MS) : def);

type Health = NonNullable<ContainerRecord['State']['Health']>;

/** One probe result folded into the health state (pure, for tests): the new status. */
export function applyResult(h: Health, r: HealthLog, opts: { retries: number; inStartPeriod: boolean }): Health['Status'] {
  if (r.ExitCode === 0) {
    h.FailingStreak = 0;
    h.Status = 'healthy';
  } else if (!(h.Status === 'starting' && opts.inStartPeriod)) {
    h.FailingStreak++;
    if (h.FailingStreak >= opts.retries) h.Status = 'unhealthy';
  }
  h.Log = [...h.Log, r].slice(-MAX_LOG);
  return h.Status;
}

interface Monitor { timer?: NodeJS.Timeout; pid?: number; stopped: boolean }

export class HealthMonitor {
  private monitors = new Map<string, Monitor>();
  private execsCache?: ExecService;

  constructor(private readonly svc: ContainersService) {}

  /** Health-check execs are private: not listed by `docker exec` nor kept in ExecIDs. */
  private get execs(): ExecService {
    return (this.execsCache ??= new ExecService(this.svc));
  }

  /** Starts checking a container that has just started (or was adopted after a restart). */
  start(rec: ContainerRecord): void {
    this.stop(rec.Id);
    if (!probeCommand(rec.Config.Healthcheck, rec.Config.Shell)) return;
    rec.State.Health ??= { Status: 'starting', FailingStreak: 0, Log: [] };
    const m: Monitor = { stopped: false };
    this.monitors.set(rec.Id, m);
    this.schedule(rec, m);
  }

  /** Stops checking (the container exited or is gone); a probe under way is killed. */
  stop(id: string): void {
    const m = this.monitors.get(id);
    if (!m) return;
    m.stopped = true;
    if (m.timer) clearTimeout(m.timer);
    if (m.pid) try { process.kill(m.pid, 'SIGKILL'); } catch { /* already gone */ }
    this.monitors.delete(id);
  }

  private schedule(rec: ContainerRecord, m: Monitor): void {
    const hc = rec.Config.Healthcheck!;
    const interval = ms(hc.Interval, DEFAULT_INTERVAL_MS);
    const starting = rec.State.Health?.Status === 'starting' && Date.now() - Date.parse(rec.State.StartedAt) < ms(hc.StartPeriod, 0);
    m.timer = setTimeout(() => { void this.tick(rec, m); }, starting ? ms(hc.StartInterval, interval) : interval);
    m.timer.unref();
  }

  private async tick(rec: ContainerRecord, m: Monitor): Promise<void> {
    if (m.stopped) return;
    try {
      if (rec.State.Status === 'running') {
        const result = await this.probe(rec, m);
        if (m.stopped || !rec.State.Health) return;
        const hc = rec.Config.Healthcheck!;
        const old = rec.State.Health.Status;
        const inStartPeriod = Date.parse(result.Start) - Date.parse(rec.State.StartedAt) < ms(hc.StartPeriod, 0);
        const now = applyResult(rec.State.Health, result, { retries: hc.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES, inStartPeriod });
        await this.svc.store.save(rec);
        if (now !== old) {
          this.svc.deps.events.emit('container', `health_status: ${now}`, rec.Id, { ...(rec.Config.Labels ?? {}), image: rec.Config.Image ?? '', name: rec.Name.slice(1) });
        }
      }
    } catch (e) {
      this.svc.deps.log('warn', `health check of ${rec.Id}: ${(e as Error).message}`);
    }
    if (!m.stopped) this.schedule(rec, m);
  }

  /** Runs the test once as an exec: exit code and the first 4 KiB of its output. */
  private async probe(rec: ContainerRecord, m: Monitor): Promise<HealthLog> {
    const start = new Date().toISOString();
    const timeout = ms(rec.Config.Healthcheck!.Timeout, DEFAULT_TIMEOUT_MS);
    let execId: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      execId = this.execs.create(rec.Id, { Cmd: probeCommand(rec.Config.Healthcheck, rec.Config.Shell), AttachStdout: true, AttachStderr: true });
      const e = await this.execs.start(execId);
      const handle = e.handle!;
      m.pid = handle.pid;
      let timedOut = false;
      timer = setTimeout(() => { timedOut = true; try { process.kill(handle.pid, 'SIGKILL'); } catch { /* exited */ } }, timeout);
      const att = await handle.attach({ stdin: false });
      let out = Buffer.alloc(0);
      const collected = (async () => {
        for await (const { data } of att.output) if (out.length < MAX_OUTPUT) out = Buffer.concat([out, data]).subarray(0, MAX_OUTPUT);
      })().catch(() => undefined);
      const st = await handle.wait();
      // The probe is gone and its pid free for reuse: nothing may signal it any more.
      clearTimeout(timer);
      m.pid = undefined;
      // Output still in flight when the process exits gets a moment to arrive.
      await Promise.race([collected, new Promise((r) => setTimeout(r, 200))]);
      att.close();
      if (timedOut) return { Start: start, End: new Date().toISOString(), ExitCode: -1, Output: `Health check exceeded timeout (${goDuration(timeout)})` };
      return { Start: start, End: new Date().toISOString(), ExitCode: st.signal ? 128 + st.signal : st.exitCode, Output: out.toString('utf8') };
    } catch (e) {
      return { Start: start, End: new Date().toISOString(), ExitCode: -1, Output: (e as Error).message };
    } finally {
      if (timer) clearTimeout(timer);
      m.pid = undefined;
      if (execId) rec.ExecIDs = rec.ExecIDs.filter((x) => x !== execId);
      this.execs.drop(rec.Id);
    }
  }
}
