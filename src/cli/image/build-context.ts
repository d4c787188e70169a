/**
 * The build context as the docker CLI prepares it for the classic builder: `.dockerignore`
 * read client-side (moby's patternmatcher: `*`, `?`, `[...]`, `**`, `!` exceptions, a pattern
 * also excluding what lies under a matching directory), the context directory walked in
 * lexical order into a tar with uid/gid 0, and a Dockerfile from stdin or from outside the
 * context added under a random `.dockerfile.<hex>` name that `.dockerignore` then hides.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

interface Pattern { re: RegExp; exclusion: boolean; text: string }

/** Go's filepath.Clean on a slash path, relative result. */
function cleanRel(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!p.startsWith('/')) out.push('..');
      continue;
    }
    out.push(part);
  }
  return out.join('/') || '.';
}

/** moby/patternmatcher's pattern → regexp conversion. */
function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      i++;
      if (i < pattern.length) re += `\\${pattern[i]}`.replace(/^\\([A-Za-z0-9])$/, '$1');
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error('syntax error in pattern');
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if ('.$^+(){}|'.includes(ch)) re += `\\${ch}`;
    else re += ch;
  }
  return new RegExp(`${re}$`);
}

/** patternmatcher/ignorefile.ReadAll: trimmed lines, comments dropped, paths cleaned, leading `/` removed. */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  for (let line of text.split('\n')) {
    line = line.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (!line) continue;
    let neg = false;
    if (line.startsWith('!')) {
      neg = true;
      line = line.slice(1).trim();
    }
    if (line) line = cleanRel(line.replace(/^\/+/, ''));
    out.push(neg ? `!${line}` : line);
  }
  return out;
}

export class Matcher {
  private readonly patterns: Pattern[];
  readonly hasExclusions: boolean;

  constructor(lines: string[]) {
    this.patterns = lines.filter((l) => l !== '' && l !== '!').map((l) => {
      const exclusion = l.startsWith('!');
      const text = exclusion ? l.slice(1) : l;
      if (text === '') throw new Error('illegal exclusion pattern: "!"');
      return { re: compile(text), exclusion, text };
    });
    this.hasExclusions = this.patterns.some((p) => p.exclusion);
  }

  /** patternmatcher.MatchesOrParentMatches: the last pattern matching the path or a parent wins. */
  excluded(path: string): boolean {
    const parts = path.split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = p.re.test(path);
      for (let i = 1; !m && i < parts.length; i++) m = p.re.test(parts.slice(0, i).join('/'));
      if (m) matched = !p.exclusion;
    }
    return matched;
  }
}

/** build.TrimBuildFilesFromExcludes: the Dockerfile and .dockerignore always reach the daemon. */
export function keepBuildFiles(excludes: string[], dockerfile: string, dockerfileFromStdin: boolean): string[] {
  const m = new Matcher(excludes);
  const out = [...excludes];
  if (m.excluded('.dockerignore')) out.push('!.dockerignore');
  if (!dockerfileFromStdin && m.excluded(dockerfile)) out.push(`!${dockerfile}`);
  return out;
}

export function readDockerignore(dir: string): string[] {
  try {
    return parseDockerignore(readFileSync(join(dir, '.dockerignore'), 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export interface ExtraDockerfile { name: string; content: Buffer }

export function extraDockerfile(content: Buffer): ExtraDockerfile {
  return { name: `.dockerfile.${randomBytes(10).toString('hex')}`, content };
}

/** The context directory as a tar stream (uid/gid 0), honouring the excludes. */
export function packContext(dir: string, excludes: string[], extra?: ExtraDockerfile): Readable {
  const m = new Matcher(excludes);
  const pack = tar.pack();
  const now = new Date();
  let ignoreSeen = false;
  const walk = async (rel: string): Promise<void> => {
    const abs = rel ? join(dir, rel) : dir;
    for (const name of readdirSync(abs).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(abs, name));
      const skip = m.excluded(path);
      if (skip && !(st.isDirectory() && m.hasExclusions)) continue;
      const h = { name: path, mode: st.mode & 0o7777, uid: 0, gid: 0, mtime: st.mtime };
      if (st.isDirectory()) {
        if (!skip) pack.entry({ ...h, name: `${path}/`, type: 'directory' });
        await walk(path);
      } else if (st.isSymbolicLink()) {
        pack.entry({ ...h, type: 'symlink', linkname: readlinkSync(join(abs, name)) });
      } else if (st.isFile()) {
        if (extra && path === '.dockerignore') {
          ignoreSeen = true;
          const body = Buffer.concat([readFileSync(join(abs, name)), Buffer.from(`\n${extra.name}\n`)]);
          pack.entry({ ...h, size: body.length, type: 'file' }, body);
          continue;
        }
        await pipeline(createReadStream(join(abs, name)), pack.entry({ ...h, size: st.size, type: 'file' }));
      }
    }
  };
  walk('').then(() => {
    if (extra) {
      pack.entry({ name: extra.name, mode: 0o600, mtime: now, type: 'file', size: extra.content.length }, extra.content);
      if (!ignoreSeen) {
        const body = Buffer.from(`.dockerignore\n${extra.name}\n`);
        pack.entry({ name: '.dockerignore', mode: 0o600, mtime: now, type: 'file', size: body.length }, body);
      }
    }
    pack.finalize();
  }, (e: unknown) => pack.destroy(e as Error));
  return pack as unknown as Readable;
}

/** A single-file context holding a Dockerfile read from stdin. */
export function dockerfileOnlyContext(content: Buffer): Readable {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile', mode: 0o600, mtime: new Date(), type: 'file', size: content.length, uid: 0, gid: 0 }, content);
  pack.finalize();
  return pack as unknown as Readable;
}
