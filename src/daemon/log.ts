/**
 * dockerd-style text logging to stderr: `time="…" level=info msg="…" key=value`. The level can
 * change at runtime (SIGHUP reload of `debug` / `log-level`).
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'panic';

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'];
const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5, panic: 6 };

export type Fields = Record<string, unknown>;

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : v instanceof Error ? v.message : JSON.stringify(v) ?? String(v);
  // logrus quotes values that are not plain words.
  return /^[A-Za-z0-9_./:@+-]+$/.test(s) ? s : JSON.stringify(s);
}

export class Logger {
  private min: number;
  constructor(
    level: LogLevel = 'info',
    private readonly out: (line: string) => void = (l) => process.stderr.write(l),
  ) {
    this.min = RANK[level];
  }

  setLevel(level: LogLevel): void {
    this.min = RANK[level];
  }

  get level(): LogLevel {
    return LOG_LEVELS[this.min]!;
  }

  log(level: LogLevel, msg: string, fields?: Fields): void {
    if (RANK[level] < this.min) return;
    let line = `time="${new Date().toISOString()}" level=${level === 'warn' ? 'warning' : level} msg=${JSON.stringify(msg)}`;
    if (fields) for (const k in fields) if (fields[k] !== undefined) line += ` ${k}=${quote(fields[k])}`;
    this.out(line + '\n');
  }

  trace(msg: string, f?: Fields): void { this.log('trace', msg, f); }
  debug(msg: string, f?: Fields): void { this.log('debug', msg, f); }
  info(msg: string, f?: Fields): void { this.log('info', msg, f); }
  warn(msg: string, f?: Fields): void { this.log('warn', msg, f); }
  error(msg: string, f?: Fields): void { this.log('error', msg, f); }
}
