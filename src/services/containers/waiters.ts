/**
 * `POST /containers/{id}/wait` conditions: not-running (now if stopped), next-exit (the next
 * exit, even if it is stopped now), removed (when the record is gone). Resolves with the exit code.
 */
type Condition = 'not-running' | 'next-exit' | 'removed';

export class Waiters {
  private pending = new Map<string, { condition: Condition; resolve: (code: number) => void }[]>();

  /**
   * Resolves with the exit code when `condition` is met. An aborted wait (its client went away:
   * `docker run -d` leaves one behind on every container) is dropped at once, so nothing of the
   * request stays referenced for the container's lifetime; the promise then never settles.
   */
  wait(id: string, condition: Condition, signal?: AbortSignal): Promise<number> {
    return new Promise((resolve) => {
      if (signal?.aborted) return;
      const entry = { condition, resolve };
      const list = this.pending.get(id) ?? [];
      list.push(entry);
      this.pending.set(id, list);
      signal?.addEventListener('abort', () => {
        const now = this.pending.get(id);
        if (!now) return;
        const keep = now.filter((w) => w !== entry);
        if (keep.length) this.pending.set(id, keep);
        else this.pending.delete(id);
      }, { once: true });
    });
  }

  private settle(id: string, code: number, which: (c: Condition) => boolean): void {
    const list = this.pending.get(id);
    if (!list) return;
    const keep = list.filter((w) => {
      if (!which(w.condition)) return true;
      w.resolve(code);
      return false;
    });
    if (keep.length) this.pending.set(id, keep);
    else this.pending.delete(id);
  }

  exited(id: string, code: number): void {
    this.settle(id, code, (c) => c !== 'removed');
  }

  removed(id: string, code: number): void {
    this.settle(id, code, () => true);
  }
}
