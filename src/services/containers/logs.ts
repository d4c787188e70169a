/**
 * Reading a container's json-file log (`<id>-json.log`, one `{"log","stream","time"}` object per
 * line, rotated files `.1`, `.2`, … oldest last) for `docker logs`: stdout/stderr selection,
 * since/until, tail, timestamps, and follow (new lines as the shim appends them, across rotation)
 * until the container stops or the client goes away. Streams line by line; never loads a whole log.
 */
import { createReadStream, existsSync, statSync, watch } from 'node:fs';
import { createInterface } from 'node:readline';

export interface LogEntry { stream: 'stdout' | 'stderr'; time: string; log: string }

export interface LogOptions {
  stdout: boolean;
  stderr: boolean;
  /** Unix seconds (fractional) — entries before are skipped. */
  since?: number;
  until?: number;
  /** Last N entries only (undefined = all). */
  tail?: number;
  follow: boolean;
  /** Resolves when following should end (container stopped, client gone). */
  stopped?: Promise<void>;
}

function files(path: string): string[] {
  const out: string[] = [];
  for (let i = 20; i >= 1; i--) if (existsSync(`${path}.${i}`)) out.push(`${path}.${i}`);
  if (existsSync(path)) out.push(path);
  return out;
}

function keep(e: LogEntry, o: LogOptions): boolean {
  if (e.stream === 'stdout' ? !o.stdout : !o.stderr) return false;
  if (o.since !== undefined || o.until !== undefined) {
    const t = Date.parse(e.time) / 1000;
    if (o.since !== undefined && t < o.since) return false;
    if (o.until !== undefined && t > o.until) return false;
  }
  return true;
}

async function* readLines(path: string, start = 0): AsyncGenerator<{ entry: LogEntry; end: number }> {
  let pos = start;
  const rl = createInterface({ input: createReadStream(path, { start }), crlfDelay: Infinity });
  for await (const line of rl) {
    pos += Buffer.byteLength(line) + 1;
    if (!line) continue;
    try {
      yield { entry: JSON.parse(line) as LogEntry, end: pos };
    } catch {
      /* a line being written right now; follow mode re-reads from `end` */
    }
  }
}

/** Yields matching entries: the existing log (honouring tail), then new ones when following. */
export async function* readLogs(path: string, o: LogOptions): AsyncGenerator<LogEntry> {
  if (o.tail !== undefined) {
    // Tail over all files: keep a ring of the last N matching entries.
    const ring: LogEntry[] = [];
    if (o.tail > 0) {
      for (const f of files(path)) {
        for await (const { entry } of readLines(f)) {
          if (!keep(entry, o)) continue;
          ring.push(entry);
          if (ring.length > o.tail) ring.shift();
        }
      }
    }
    yield* ring;
  } else {
    for (const f of files(path)) for await (const { entry } of readLines(f)) if (keep(entry, o)) yield entry;
  }
  if (!o.follow) return;
  let offset = existsSync(path) ? statSync(path).size : 0;
  let ino = existsSync(path) ? statSync(path).ino : 0;
  let done = false;
  void o.stopped?.then(() => { done = true; });
  while (!done) {
    await new Promise<void>((resolve) => {
      let w: ReturnType<typeof watch> | undefined;
      const t = setTimeout(finish, 250);
      function finish() {
        clearTimeout(t);
        w?.close();
        resolve();
      }
      try { w = watch(path, finish); } catch { /* not created yet: the timer polls */ }
      void o.stopped?.then(finish);
    });
    if (!existsSync(path)) continue;
    const st = statSync(path);
    if (st.ino !== ino) { offset = 0; ino = st.ino; } // rotated: the new file starts over
    if (st.size < offset) offset = 0;
    if (st.size === offset) continue;
    for await (const { entry, end } of readLines(path, offset)) {
      offset = end;
      if (keep(entry, o)) yield entry;
    }
  }
  // Drain what the shim wrote just before the container stopped.
  if (existsSync(path) && statSync(path).size > offset) {
    for await (const { entry } of readLines(path, offset)) if (keep(entry, o)) yield entry;
  }
}
