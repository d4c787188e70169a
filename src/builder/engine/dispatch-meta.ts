/**
 * The instructions that only change the image config (ENV, LABEL, CMD, …): each is one step
 * whose image shares the parent's layers, with the history line the legacy builder writes
 * (`/bin/sh -c #(nop)  <comment>`). WORKDIR also creates its directory, so it makes a layer.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import { goQuote, goQuoteList } from '../shell/index.js';
import type { Command } from '../instructions/index.js';
import { mkdirAll } from './rootfs-write.js';
import { commit, commitMeta, expand, nopCreatedByString, shellOf, type BuildEnv, type StageState } from './step.js';

type Cmd<K extends Command['kind']> = Extract<Command, { kind: K }>;

function setEnv(list: string[], key: string, value: string): string[] {
  const out = list.filter((e) => e.split('=', 1)[0] !== key);
  const at = list.findIndex((e) => e.split('=', 1)[0] === key);
  const entry = `${key}=${value}`;
  if (at < 0) return [...out, entry];
  out.splice(at, 0, entry);
  return out;
}

/** A CMD/ENTRYPOINT/RUN command line: exec form as is, shell form behind the stage's SHELL. */
export function commandLine(state: StageState, c: { cmdLine: string[]; prependShell: boolean }): string[] {
  return c.prependShell ? [...shellOf(state.config), c.cmdLine.join(' ')] : [...c.cmdLine];
}

function durationString(ns: number): string {
  if (ns === 0) return '0s';
  const s = ns / 1e9;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = Number((s % 60).toFixed(9));
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${rest}s`;
}

/** `80`, `53/udp`, `8000-8002/TCP` → `80/tcp`, `53/udp`, `8000/tcp` `8001/tcp` `8002/tcp`. */
function exposedPorts(raw: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(raw);
  const proto = (m?.[3] ?? 'tcp').toLowerCase();
  if (!m || !['tcp', 'udp', 'sctp'].includes(proto)) throw invalidArgument(`invalid containerPort: ${raw}`);
  const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo || hi > 65535) throw invalidArgument(`invalid containerPort: ${raw}`);
  const out: string[] = [];
  for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
  return out;
}

export async function dispatchMeta(env: BuildEnv, state: StageState, cmd: Command): Promise<void> {
  const x = (w: string) => expand(env, state, w);
  const cfg = state.config;
  switch (cmd.kind) {
    case 'env': {
      let comment = 'ENV';
      for (const kv of cmd.env) {
        const key = x(kv.key);
        const value = x(kv.value);
        cfg.Env = setEnv(cfg.Env ?? [], key, value);
        comment += ` ${key}=${value}`;
      }
      return commitMeta(env, state, comment);
    }
    case 'label': {
      let comment = 'LABEL';
      cfg.Labels = { ...(cfg.Labels ?? {}) };
      for (const kv of cmd.labels) {
        const key = x(kv.key);
        const value = x(kv.value);
        cfg.Labels[key] = value;
        comment += ` ${key}=${value}`;
      }
      return commitMeta(env, state, comment);
    }
    case 'maintainer':
      state.author = x(cmd.maintainer);
      return commitMeta(env, state, `MAINTAINER ${state.author}`);
    case 'expose': {
      // The parser sorts the words as written; each may expand to several. A range exposes each port.
      const words = [...cmd.ports].sort().flatMap((p) => x(p).split(/\s+/)).filter(Boolean);
      cfg.ExposedPorts = { ...(cfg.ExposedPorts ?? {}) };
      for (const raw of words) for (const p of exposedPorts(raw)) cfg.ExposedPorts[p] = {};
      return commitMeta(env, state, `EXPOSE ${words.join(' ')}`);
    }
    case 'user':
      cfg.User = x(cmd.user);
      return commitMeta(env, state, `USER ${cfg.User}`);
    case 'volume': {
      const vols = cmd.volumes.map(x);
      cfg.Volumes = { ...(cfg.Volumes ?? {}) };
      for (const v of vols) {
        if (!v.trim()) throw invalidArgument('VOLUME specified can not be an empty string');
        cfg.Volumes[v] = {};
      }
      return commitMeta(env, state, `VOLUME [${vols.join(' ')}]`);
    }
    case 'workdir': {
      const dir = posix.resolve(cfg.WorkingDir || '/', x(cmd.path));
      cfg.WorkingDir = dir;
      const createdBy = nopCreatedByString(state, `WORKDIR ${dir}`);
      if (state.imageId === undefined) return commit(env, state, createdBy, null, (spec) => env.backend.commitConfig(spec));
      return commit(env, state, createdBy, 'workdir', (spec) => env.backend.commitLayer(spec, async (root) => { await mkdirAll(root, dir); }));
    }
    case 'cmd':
      cfg.Cmd = commandLine(state, cmd);
      state.cmdSet = true;
      return commitMeta(env, state, `CMD ${goQuoteList(cfg.Cmd)}`);
    case 'entrypoint':
      cfg.Entrypoint = commandLine(state, cmd);
      if (!state.cmdSet) cfg.Cmd = null;
      return commitMeta(env, state, `ENTRYPOINT ${goQuoteList(cfg.Entrypoint)}`);
    case 'shell':
      cfg.Shell = [...cmd.shell];
      return commitMeta(env, state, `SHELL [${cmd.shell.join(' ')}]`);
    case 'stopsignal':
      cfg.StopSignal = x(cmd.signal);
      return commitMeta(env, state, `STOPSIGNAL ${cfg.StopSignal}`);
    case 'healthcheck': {
      const h = cmd.health;
      // Docker fills the zero fields from the parent image's healthcheck when it creates the
      // step's container (its config shares the object), after the history line is written.
      const prev = cfg.Healthcheck ?? {};
      const pick = (v: number, old: number | undefined) => (v !== 0 ? v : old ?? 0);
      const merged: Record<string, unknown> = {
        Test: h.test, Interval: pick(h.interval, prev.Interval), Timeout: pick(h.timeout, prev.Timeout), StartPeriod: pick(h.startPeriod, prev.StartPeriod),
        StartInterval: pick(h.startInterval, prev.StartInterval), Retries: pick(h.retries, prev.Retries),
      };
      // Zero durations and retries are left out, as Go's omitempty does.
      cfg.Healthcheck = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== 0)) as typeof cfg.Healthcheck;
      const d = [h.interval, h.timeout, h.startPeriod, h.startInterval].map((n) => goQuote(durationString(n)));
      return commitMeta(env, state, `HEALTHCHECK &{${goQuoteList(h.test)} ${d.join(' ')} '\\x${h.retries.toString(16).padStart(2, '0')}'}`);
    }
    case 'onbuild':
      cfg.OnBuild = [...(cfg.OnBuild ?? []), cmd.expression];
      return commitMeta(env, state, `ONBUILD ${cmd.expression}`);
    case 'arg': {
      const parts: string[] = [];
      for (const a of cmd.args) {
        const value = a.value === undefined ? undefined : x(a.value);
        state.args.declare(a.key, value);
        parts.push(value === undefined ? a.key : `${a.key}=${value}`);
      }
      return commitMeta(env, state, `ARG ${parts.join(' ')}`);
    }
    default:
      throw invalidArgument(`unexpected instruction ${cmd.name}`);
  }
}
