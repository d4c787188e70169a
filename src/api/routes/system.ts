/**
 * System endpoints: `/_ping` (GET, HEAD), `/version`, `/info`, `/events`, `/system/df`.
 * Handlers parse, call the system or events service, convert (system-convert.ts) and write.
 */
import type { Writable } from 'node:stream';
import { invalidArgument } from '../../common/errors.js';
import type { EventMessage, EventsService } from '../../services/events/index.js';
import { eventFilter } from '../../services/events/index.js';
import type { DiskUsageKind, SystemService } from '../../services/system/index.js';
import { queryBool, queryFilters } from '../query.js';
import type { ApiRequest, ApiResponse, Route } from '../route.js';
import { versionLess } from '../version.js';
import { toDiskUsage, toInfo, toVersion } from './system-convert.js';

export interface SystemRouteDeps {
  system: SystemService;
  events: EventsService;
  /** Read per request: both follow a config reload. */
  minApiVersion: () => string;
  experimental: () => boolean;
}

/** `Builder-Version: 1`: the classic builder protocol; we serve no BuildKit session. */
const BUILDER_VERSION = '1';

async function ping(req: ApiRequest, res: ApiResponse): Promise<void> {
  const r = res.raw;
  r.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  r.setHeader('Pragma', 'no-cache');
  r.setHeader('Builder-Version', BUILDER_VERSION);
  r.setHeader('Swarm', 'inactive');
  if (req.method === 'HEAD') {
    r.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '0' });
    r.end();
    return;
  }
  res.text(200, 'OK', 'text/plain; charset=utf-8');
}

/** moby's timestamp.ParseUnixTimestamp: `seconds[.nanoseconds]` → ns; '' → undefined. */
export function parseUnixTimestamp(value: string, name: string): bigint | undefined {
  if (value === '') return undefined;
  const [s, n = ''] = value.split('.', 2) as [string, string?];
  const bad = (why: string): never => {
    throw invalidArgument(`invalid value for '${name}': invalid timestamp ${JSON.stringify(value)}: ${why}`);
  };
  if (!/^[+-]?[0-9]+$/.test(s)) bad(`invalid seconds ${JSON.stringify(s)}: invalid syntax`);
  if (n.length > 20) bad(`invalid nanoseconds: length ${n.length} exceeds maximum 20`);
  if (n !== '' && !/^[0-9]+$/.test(n)) bad(`invalid nanoseconds ${JSON.stringify(n)}: invalid syntax`);
  const nanos = n === '' ? 0n : BigInt(n.slice(0, 9).padEnd(9, '0'));
  return BigInt(s) * 1_000_000_000n + (s.startsWith('-') ? -nanos : nanos);
}

const STREAM_TYPES = ['application/jsonl', 'application/x-ndjson', 'application/json-seq'];

/** A strict Accept match, as moby's contenttype.MatchAcceptStrict: exact types only. */
function eventsContentType(req: ApiRequest): string {
  const accept = req.headers.accept;
  if (accept) {
    for (const part of accept.split(',')) {
      const t = part.split(';')[0]!.trim().toLowerCase();
      if (STREAM_TYPES.includes(t)) return t;
    }
  }
  // Before 1.52 the stream was labelled application/json although it is a sequence of objects.
  return versionLess(req.version, '1.52') ? 'application/json' : 'application/jsonl';
}

/** One event as a JSON line; the legacy `status/id/from` fields below API 1.52. */
export function encodeEvent(ev: EventMessage, legacy: boolean): string {
  const body: Record<string, unknown> = {};
  if (legacy && (ev.Type === 'container' || ev.Type === 'image')) {
    body['status'] = ev.Action;
    body['id'] = ev.Actor.ID;
    if (ev.Type === 'container') body['from'] = ev.Actor.Attributes['image'] ?? '';
  }
  Object.assign(body, { Type: ev.Type, Action: ev.Action, Actor: ev.Actor, scope: ev.scope, time: ev.time });
  // timeNano exceeds 2^53: written as a bare JSON integer from the bigint.
  return `${JSON.stringify(body).slice(0, -1)},"timeNano":${ev.timeNano}}\n`;
}

function writeOrWait(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

function eventsHandler(events: EventsService) {
  return async (req: ApiRequest, res: ApiResponse): Promise<void> => {
    const since = parseUnixTimestamp(req.query.get('since') ?? '', 'since');
    const until = parseUnixTimestamp(req.query.get('until') ?? '', 'until');
    if (until !== undefined && since !== undefined && until < since) {
      throw invalidArgument(`\`since\` time (${req.query.get('since')}) cannot be after \`until\` time (${req.query.get('until')})`);
    }
    const filter = eventFilter(queryFilters(req.query));
    const contentType = eventsContentType(req);
    const legacy = versionLess(req.version, '1.52');
    const skipImageCreate = versionLess(req.version, '1.46');
    const seq = contentType === 'application/json-seq' ? '\x1e' : '';
    const sub = events.subscribe({ since, until, filter });
    const out = res.stream(200, contentType);
    res.raw.once('close', () => sub.close());
    const send = async (ev: EventMessage): Promise<void> => {
      if (skipImageCreate && ev.Type === 'image' && ev.Action === 'create') return;
      await writeOrWait(out, seq + encodeEvent(ev, legacy));
    };
    try {
      for (const ev of sub.buffered) await send(ev);
      for await (const ev of sub) {
        if (out.destroyed) break;
        await send(ev);
      }
    } finally {
      sub.close();
      if (!out.writableEnded) out.end();
    }
  };
}

const DF_TYPES: Record<string, DiskUsageKind> = {
  container: 'containers', image: 'images', volume: 'volumes', 'build-cache': 'buildCache',
};

function diskUsageHandler(system: SystemService) {
  return async (req: ApiRequest, res: ApiResponse): Promise<void> => {
    const kinds = new Set<DiskUsageKind>();
    const types = req.query.getAll('type');
    if (versionLess(req.version, '1.42') || types.length === 0) {
      for (const k of Object.values(DF_TYPES)) kinds.add(k);
    } else {
      for (const t of types) {
        const k = DF_TYPES[t];
        if (!k) throw invalidArgument(`unknown object type: ${t}`);
        kinds.add(k);
      }
    }
    const verbose = !versionLess(req.version, '1.52') && queryBool(req.query, 'verbose');
    // moby lists items whenever legacy fields or verbose output need them, i.e. always.
    const reports = await system.diskUsage(kinds, true);
    res.json(200, toDiskUsage(reports, req.version, verbose));
  };
}

export function systemRoutes(deps: SystemRouteDeps): Route[] {
  const { system, events } = deps;
  return [
    { method: 'GET', path: '/_ping', handler: ping },
    { method: 'HEAD', path: '/_ping', handler: ping },
    {
      method: 'GET',
      path: '/version',
      handler: async (_req, res) => res.json(200, toVersion(system.host(), deps.minApiVersion(), deps.experimental())),
    },
    {
      method: 'GET',
      path: '/info',
      handler: async (req, res) => res.json(200, toInfo(await system.info(), req.version)),
    },
    { method: 'GET', path: '/events', handler: eventsHandler(events) },
    { method: 'GET', path: '/system/df', handler: diskUsageHandler(system) },
  ];
}
