/**
 * `POST /containers/{id}/wait` conditions: not-running (now if stopped), next-exit (the next
 * exit, even if it is stopped now), removed (when the record is gone). Resolves with the exit code.
 */
type Condition = 'not-running' | 'next-exit' | 'removed';

export class Waiters {
  private pending = new Map<string, { condition: Condition; resolve: (code: number) => void }[]>();

  wait(id: string, condition: Condition): Promise<number> {
    return new Promise((resolve) => {
      const list = this.pending.get(id) ?? [];
      list.push({ condition, resolve });
      this.pending.set(id, list);
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
