/**
 * Docker's JSON progress messages (moby `pkg/jsonmessage`, `streamformatter`): one JSON object
 * per line, `\r\n`-terminated, fields in Docker's order. The `progress` text is what
 * `JSONProgress.String()` renders for a 200-column "terminal" (the daemon has none): a 50-cell
 * bar, sizes in decimal units with four significant digits, and the time left.
 */

export interface JSONProgress {
  current?: number;
  total?: number;
  /** Unix seconds the operation started (used for the time-left estimate). */
  start?: number;
  hidecounts?: boolean;
  units?: string;
}

export interface JSONMessage {
  stream?: string;
  status?: string;
  progressDetail?: JSONProgress;
  progress?: string;
  id?: string;
  errorDetail?: { code?: number; message: string };
  error?: string;
  aux?: unknown;
}

/** Where a long operation reports progress. Writes are small and never block the operation. */
export interface ProgressOutput {
  write(msg: JSONMessage): void;
}

export const discardProgress: ProgressOutput = { write: () => undefined };

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units `HumanSize`: decimal units, `%.4g`. */
export function humanSize(size: number): string {
  let i = 0;
  let s = size;
  while (s >= 1000 && i < UNITS.length - 1) {
    s /= 1000;
    i++;
  }
  return `${goG4(s)}${UNITS[i]}`;
}

/** Go's `%.4g` for the non-negative values sizes are. */
function goG4(v: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 4) {
    const [m = '', e = '0'] = v.toExponential(3).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = v.toPrecision(4);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Go's `time.Duration.String()` for whole seconds. */
function goDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** `JSONProgress.String()` with a width of 200. `nowMs` is injectable for tests. */
export function progressString(p: JSONProgress, nowMs = Date.now()): string {
  const current = p.current ?? 0;
  const total = p.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return p.units ? `${current} ${p.units}` : humanSize(current).padStart(8);
  let pct = Math.floor(Math.floor((current / total) * 100) / 2);
  if (pct > 50) pct = 50;
  const bar = `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] `;
  let numbers = '';
  if (!p.hidecounts) {
    if (!p.units) numbers = current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
    else numbers = current > total ? `${current} ${p.units}` : `${current}/${total} ${p.units}`;
  }
  let left = '';
  if (current > 0 && p.start !== undefined && p.start > 0 && pct < 50) {
    const elapsed = nowMs / 1000 - p.start;
    const remaining = Math.floor(((total - current) * elapsed) / current);
    left = ` ${goDuration(remaining)}`;
  }
  return bar + numbers + left;
}

/** A status line (`{"status":…,"id":…}`), as `progress.Message` writes it. */
export function statusMessage(status: string, id?: string): JSONMessage {
  return id ? { status, id } : { status };
}

/** A progress line (`{"status":…,"progressDetail":{…},"progress":…,"id":…}`). */
export function progressMessage(status: string, id: string, detail: JSONProgress = {}, nowMs?: number): JSONMessage {
  const text = progressString(detail, nowMs);
  return { status, progressDetail: detail, ...(text ? { progress: text } : {}), id };
}

/** The in-band error line once a stream has started. */
export function errorMessage(message: string): JSONMessage {
  return { errorDetail: { message }, error: message };
}

/** Serializes a message as Docker does: JSON with fields in its order, `\r\n`. */
export function encodeMessage(msg: JSONMessage): string {
  const ordered: JSONMessage = {};
  for (const k of ['stream', 'status', 'progressDetail', 'progress', 'id', 'errorDetail', 'error', 'aux'] as const) {
    if (msg[k] !== undefined) (ordered as Record<string, unknown>)[k] = msg[k];
  }
  return `${JSON.stringify(ordered)}\r\n`;
}

/** 12 hex characters of a digest or id (`stringid.TruncateID`). */
export function shortId(id: string): string {
  const i = id.indexOf(':');
  return (i >= 0 ? id.slice(i + 1) : id).slice(0, 12);
}

/**
 * Rate-limits progress lines per id, as Docker's progress reader does (one line per 100 ms),
 * always letting the final one (current === total) through.
 */
export class ProgressThrottle {
  readonly #last = new Map<string, number>();
  constructor(private readonly out: ProgressOutput, private readonly intervalMs = 100) {}

  update(status: string, id: string, detail: JSONProgress): void {
    const now = Date.now();
    const last = this.#last.get(`${status}/${id}`) ?? 0;
    if (now - last < this.intervalMs && detail.current !== detail.total) return;
    this.#last.set(`${status}/${id}`, now);
    this.out.write(progressMessage(status, id, detail, now));
  }
}
