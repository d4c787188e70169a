/**
 * A compacting garbage collection once the daemon has gone quiet. V8 collects the old generation
 * when it nears its limit, not when a daemon turns idle, so what a burst of requests promoted
 * (a hundred `docker run`s leave megabytes, spread over pages that also hold live records) stays
 * resident while nothing happens. One full collection `idleMs` after the last request — with
 * compaction, so emptied pages are given back — returns it. It needs `--expose-gc` (and
 * `--compact-on-every-full-gc`), which bin/skiffd's shebang passes; started otherwise, the daemon
 * simply does without.
 */
export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private readonly gc = (globalThis as { gc?: () => void }).gc;

  constructor(private readonly idleMs = 5_000) {}

  /** Called on every request: (re)arms the collection. */
  touch(): void {
    if (!this.gc) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.gc?.(); }, this.idleMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
