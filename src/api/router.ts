/**
 * Matches request paths to routes. Patterns are moby's (gorilla mux) syntax: `{id}` matches one
 * segment, `{name:.*}` may span slashes (image and plugin names). Routes are compiled once to
 * anchored regexes and bucketed by their first literal segment, so a lookup tries only the few
 * routes that share it. Within a bucket routes are ordered most specific first (literal segment
 * before `{x}` before `{x:.*}`, earlier registration breaking ties), which makes `/images/json`
 * win over an image named "json" regardless of the order in which route files are concatenated.
 *
 * Unknown paths and known paths with another method both get 404 `page not found`: moby sets
 * gorilla's MethodNotAllowedHandler to its not-found handler, and clients expect exactly that.
 */
import type { Method, Route } from './route.js';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
  /** Per segment: 0 literal, 1 `{x}`, 2 `{x:.*}` — the specificity sort key. */
  rank: number[];
  order: number;
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles one pattern; exported for tests. */
export function compilePattern(pattern: string): { regex: RegExp; names: string[]; rank: number[] } {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
  const names: string[] = [];
  let src = '^';
  let last = 0;
  for (const m of pattern.matchAll(PARAM)) {
    src += escapeRegex(pattern.slice(last, m.index));
    names.push(m[1]!);
    src += m[2] !== undefined ? `(${m[2]})` : '([^/]+)';
    last = m.index! + m[0].length;
  }
  src += escapeRegex(pattern.slice(last)) + '$';
  const rank = pattern.split('/').slice(1).map((seg) => {
    if (!seg.includes('{')) return 0;
    return /\{[^}:]+:\.\*\}/.test(seg) ? 2 : 1;
  });
  return { regex: new RegExp(src), names, rank };
}

function bySpecificity(a: Compiled, b: Compiled): number {
  const n = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
  if (a.rank.length !== b.rank.length) return b.rank.length - a.rank.length;
  return a.order - b.order;
}

/** The first path segment of a pattern if it is literal, else '' (the catch-all bucket). */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  const seg = end < 0 ? path.slice(1) : path.slice(1, end);
  return seg.includes('{') ? '' : seg;
}

export class Router {
  private readonly buckets = new Map<string, Compiled[]>();
  private readonly anyBucket: Compiled[] = [];

  constructor(routes: readonly Route[]) {
    const seen = new Set<string>();
    routes.forEach((route, order) => {
      const id = `${route.method} ${route.path}`;
      if (seen.has(id)) throw new Error(`duplicate route ${id}`);
      seen.add(id);
      const c: Compiled = { route, ...compilePattern(route.path), order };
      const seg = firstSegment(route.path);
      if (seg === '') this.anyBucket.push(c);
      else {
        let b = this.buckets.get(seg);
        if (!b) this.buckets.set(seg, (b = []));
        b.push(c);
      }
    });
    for (const b of this.buckets.values()) b.sort(bySpecificity);
    this.anyBucket.sort(bySpecificity);
  }

  /** `path` is decoded and without the version prefix. */
  match(method: Method | string, path: string): RouteMatch | undefined {
    const bucket = this.buckets.get(firstSegment(path));
    return (bucket && this.find(bucket, method, path)) ?? this.find(this.anyBucket, method, path);
  }

  private find(list: Compiled[], method: string, path: string): RouteMatch | undefined {
    for (const c of list) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < c.names.length; i++) params[c.names[i]!] = m[i + 1] ?? '';
      return { route: c.route, params };
    }
    return undefined;
  }
}

const VERSION_PREFIX = /^\/v([0-9.]+)(\/.*)$/;

/** Splits `/v1.47/containers/json` into version and path, as moby's `/v{version:[0-9.]+}`. */
export function splitVersion(path: string): { version: string | undefined; path: string } {
  const m = VERSION_PREFIX.exec(path);
  return m ? { version: m[1], path: m[2]! } : { version: undefined, path };
}
