/**
 * Event filters with moby's semantics (daemon/events/filter.go): `type`, `event` (exact, or
 * prefix for `health_status`/`exec_create`/`exec_start`), `scope`, `label` (`k` or `k=v`),
 * `image` (id, name, or name without tag), and per-type keys (`container`, `network`, `volume`,
 * `daemon`, `plugin`, `node`, `service`, `secret`, `config`) matching the actor's ID or `name`
 * attribute by prefix. Every present key must match; values of one key are alternatives.
 */
import type { EventMessage } from './types.js';

export type FilterArgs = ReadonlyMap<string, ReadonlySet<string>>;

const FUZZY_EVENTS = new Set(['health_status', 'exec_create', 'exec_start']);
const NAMED_TYPES = ['daemon', 'container', 'plugin', 'volume', 'network', 'node', 'service', 'secret', 'config'];

function exact(f: FilterArgs, key: string, value: string): boolean {
  const set = f.get(key);
  return !set || set.size === 0 || set.has(value);
}

function fuzzy(f: FilterArgs, key: string, value: string | undefined): boolean {
  const set = f.get(key);
  if (!set || set.size === 0) return true;
  if (value === undefined) return false;
  for (const v of set) if (value.startsWith(v)) return true;
  return false;
}

function labels(f: FilterArgs, attrs: Record<string, string>): boolean {
  const set = f.get('label');
  if (!set || set.size === 0) return true;
  // moby's MatchKVList: every label filter must hold.
  for (const want of set) {
    const eq = want.indexOf('=');
    if (eq < 0) {
      if (!(want in attrs)) return false;
    } else if (attrs[want.slice(0, eq)] !== want.slice(eq + 1)) return false;
  }
  return true;
}

/** `docker.io/library/busybox:latest` → `busybox`, a close stand-in for reference.FamiliarName. */
function stripTag(image: string): string {
  if (image.startsWith('sha256:')) return image;
  let name = image;
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  if (name.startsWith('docker.io/')) name = name.slice('docker.io/'.length);
  if (name.startsWith('library/') && name.indexOf('/', 'library/'.length) < 0) name = name.slice('library/'.length);
  return name;
}

function image(f: FilterArgs, ev: EventMessage): boolean {
  const set = f.get('image');
  if (!set || set.size === 0) return true;
  const name = ev.Actor.Attributes[ev.Type === 'image' ? 'name' : 'image'] ?? '';
  const id = ev.Actor.ID;
  return set.has(id) || set.has(name) || set.has(stripTag(id)) || set.has(stripTag(name));
}

/** A predicate for the given filters, or undefined when there are none. */
export function eventFilter(f: FilterArgs): ((ev: EventMessage) => boolean) | undefined {
  if (f.size === 0) return undefined;
  const fuzzyEvent = [...(f.get('event') ?? [])].some((v) => FUZZY_EVENTS.has(v));
  return (ev) => {
    if (!(fuzzyEvent ? fuzzy(f, 'event', ev.Action) : exact(f, 'event', ev.Action))) return false;
    if (!exact(f, 'type', ev.Type)) return false;
    if (f.has('scope') && !exact(f, 'scope', ev.scope)) return false;
    for (const t of NAMED_TYPES) {
      if (!f.has(t)) continue;
      if (!fuzzy(f, t, ev.Actor.ID) && !fuzzy(f, t, ev.Actor.Attributes['name'])) return false;
    }
    return image(f, ev) && labels(f, ev.Actor.Attributes);
  };
}
