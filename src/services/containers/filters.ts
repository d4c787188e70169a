/**
 * `docker ps` filters (`/containers/json?filters=…`): id, name, label, status, exited, ancestor,
 * before, since, volume, network, publish, expose, health, is-task — with Docker's validation
 * messages for unknown filters and bad values.
 */
import { invalidArgument } from '../../common/errors.js';
import type { ContainerRecord } from './record.js';
import { parseFilterArgs } from '../../common/filter-args.js';

export type Filters = Map<string, string[]>;

/** Parses Docker's filters JSON: `{"status":["running"]}` or the legacy `{"status":{"running":true}}`. */
export function parseFilters(raw: string | null): Filters {
  return parseFilterArgs(raw);
}

const ACCEPTED = new Set(['id', 'name', 'label', 'status', 'exited', 'ancestor', 'before', 'since', 'volume', 'network', 'publish', 'expose', 'health', 'is-task', 'isolation']);
const STATUSES = new Set(['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']);

export interface FilterContext {
  /** Resolves `ancestor=` values to image ids (name, id or prefix); unknown → empty. */
  imageIds(ref: string): Set<string>;
  /** Resolves a container reference for before/since. */
  container(ref: string): ContainerRecord;
}

function labelMatch(labels: Record<string, string>, f: string): boolean {
  const i = f.indexOf('=');
  if (i < 0) return f in labels;
  return labels[f.slice(0, i)] === f.slice(i + 1);
}

export function compileFilters(f: Filters, ctx: FilterContext): (r: ContainerRecord) => boolean {
  for (const k of f.keys()) if (!ACCEPTED.has(k)) throw invalidArgument(`invalid filter '${k}'`);
  for (const s of f.get('status') ?? []) {
    if (!STATUSES.has(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  }
  const exited = (f.get('exited') ?? []).map((e) => {
    if (!/^-?\d+$/.test(e)) throw invalidArgument(`invalid filter 'exited=${e}'`);
    return Number(e);
  });
  const ancestors = (f.get('ancestor') ?? []).map((a) => ctx.imageIds(a));
  const before = f.get('before')?.map((b) => Date.parse(ctx.container(b).Created));
  const since = f.get('since')?.map((b) => Date.parse(ctx.container(b).Created));
  const any = (key: string, pred: (v: string) => boolean) => {
    const vals = f.get(key);
    return !vals || vals.some(pred);
  };
  return (r) => {
    const created = Date.parse(r.Created);
    return any('id', (v) => r.Id.startsWith(v)) &&
      any('name', (v) => new RegExp(v).test(r.Name.slice(1)) || new RegExp(v).test(r.Name)) &&
      (f.get('label') ?? []).every((v) => labelMatch(r.Config.Labels ?? {}, v)) &&
      any('status', (v) => r.State.Status === v) &&
      (!exited.length || (r.State.Status === 'exited' && exited.includes(r.State.ExitCode))) &&
      (!ancestors.length || ancestors.some((ids) => ids.has(r.Image))) &&
      (!before || before.every((t) => created < t)) &&
      (!since || since.every((t) => created > t)) &&
      any('volume', (v) => r.MountPoints.some((m) => m.Name === v || m.Destination === v || m.Source === v)) &&
      any('network', (v) => Object.entries(r.Networks).some(([n, e]) => n === v || e.NetworkID.startsWith(v))) &&
      any('publish', (v) => Object.values(r.Ports).some((bs) => bs?.some((b) => b.HostPort === v.split('/')[0]))) &&
      any('expose', (v) => Object.keys(r.Config.ExposedPorts ?? {}).some((p) => p === v || p.split('/')[0] === v)) &&
      any('health', (v) => (r.State.Health?.Status ?? 'none') === v) &&
      any('is-task', (v) => v === 'false');
  };
}
