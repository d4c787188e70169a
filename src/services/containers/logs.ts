/**
 * Reading a container's json-file log (`<id>-json.log`, one `{"log","stream","time"}` object per
 * line, rotated files `.1`, `.2`, … oldest last) for `docker logs`: stdout/stderr selection,
 * since/until, tail, timestamps, and follow (new lines as the shim appends them, across rotation)
 * until the container stops or the client goes away. Streams line by line; never loads a whole log.
 */
import { createReadStream, existsSync, statSync, watch } from 'node:fs';

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

/** Entries per batch: few enough that a batch dies young (the daemon's young generation is 1 MiB). */
const BATCH = 2048;

/**
 * Parsed lines of a log file from byte `start`, in batches of up to BATCH entries: one await per
 * batch instead of one per line (a log can hold millions), read 1 MiB at a time. `end` is the
 * offset after the batch's last complete line; a trailing partial line (being written right now)
 * is left for the next read.
 */
async function* readBatches(path: string, start = 0): AsyncGenerator<{ entries: LogEntry[]; end: number }> {
  let pos = start;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let entries: LogEntry[] = [];
    let from = 0;
    for (let nl = buf.indexOf(10, from); nl >= 0; nl = buf.indexOf(10, from)) {
      if (nl > from) {
        try {
          entries.push(JSON.parse(buf.toString('utf8', from, nl)) as LogEntry);
        } catch { /* a torn line: skipped */ }
      }
      from = nl + 1;
      if (entries.length === BATCH) {
        // `buf` starts at `pos` (where the carried-over partial line began).
        yield { entries, end: pos + from };
        entries = [];
      }
    }
    pos += from;
    rest = buf.subarray(from);
    yield { entries, end: pos };
  }
}

/** Yields batches of matching entries: the existing log (honouring tail), then new ones when following. */
export async function* readLogs(path: string, o: LogOptions): AsyncGenerator<LogEntry[]> {
  if (o.tail !== undefined) {
    // Tail over all files: keep the last N matching entries.
    let last: LogEntry[] = [];
    if (o.tail > 0) {
      for (const f of files(path)) {
        for await (const { entries } of readBatches(f)) {
          last = last.concat(entries.filter((e) => keep(e, o)));
          if (last.length > 2 * o.tail) last = last.slice(-o.tail);
        }
      }
    }
    yield last.slice(-o.tail);
  } else {
    for (const f of files(path)) for await (const { entries } of readBatches(f)) yield entries.filter((e) => keep(e, o));
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
    for await (const { entries, end } of readBatches(path, offset)) {
      offset = end;
      yield entries.filter((e) => keep(e, o));
    }
  }
  // Drain what the shim wrote just before the container stopped.
  if (existsSync(path) && statSync(path).size > offset) {
    for await (const { entries } of readBatches(path, offset)) yield entries.filter((e) => keep(e, o));
  }
}
