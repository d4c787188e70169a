/**
 * `.dockerignore` pattern semantics (moby/patternmatcher): each pattern is a cleaned,
 * slash-separated path glob where `*` and `?` stay within one path component, `**` spans any
 * number of components and `[...]` is a character class. A leading `!` turns a pattern into an
 * exception. Rules are read in order and the last one that matches decides, and a pattern also
 * matches everything below a directory it matches (so `docs` excludes `docs/a.md`).
 */
import { posix } from 'node:path';

export interface IgnorePattern {
  /** The cleaned pattern text, without `!`. */
  text: string;
  exclusion: boolean;
  regexp: RegExp;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles one glob into an anchored regular expression. */
export function compileGlob(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` may match nothing at all, so that `**/x` also matches a top-level `x`.
        if (pattern[i + 1] === '/') { i++; re += '(.*/)?'; } else re += '.*';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i]!);
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`${re}$`, 's');
}

/** Parses `.dockerignore` text: comments and blank lines dropped, patterns cleaned. */
export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let p = raw.trim();
    if (p === '') continue;
    let exclusion = false;
    if (p.startsWith('!')) {
      exclusion = true;
      p = p.slice(1).trim();
      if (p === '') continue;
    }
    p = posix.normalize(p);
    if (p.startsWith('/')) p = p.replace(/^\/+/, '');
    if (p === '' || p === '.') p = '.';
    if (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
    out.push({ text: p, exclusion, regexp: compileGlob(p) });
  }
  return out;
}

/** A compiled set of rules; `matches(path)` tells whether a context path is excluded. */
export class IgnoreMatcher {
  readonly hasExclusions: boolean;

  constructor(readonly patterns: readonly IgnorePattern[]) {
    this.hasExclusions = patterns.some((p) => p.exclusion);
  }

  static fromText(text: string): IgnoreMatcher {
    return new IgnoreMatcher(parseDockerignore(text));
  }

  /** True when the last rule matching `path` (or one of its parent directories) excludes it. */
  matches(path: string): boolean {
    const clean = posix.normalize(path).replace(/^\/+/, '');
    const parents: string[] = [];
    const parts = clean.split('/');
    for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
    let excluded = false;
    for (const p of this.patterns) {
      if (p.exclusion === excluded) {
        const hit = p.regexp.test(clean) || parents.some((d) => p.regexp.test(d));
        if (hit) excluded = !p.exclusion;
      }
    }
    return excluded;
  }
}
