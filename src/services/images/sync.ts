/**
 * Concurrency primitives of the images service: a counting semaphore (Docker's
 * max-concurrent-downloads/uploads are daemon-wide limits, not per pull) and a readers-writer
 * lock that lets pulls, loads and imports run together while garbage collection runs alone.
 */

export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#free = Math.max(1, Math.floor(limit));
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }

  /** Whether an acquire now would have to wait. */
  get busy(): boolean {
    return this.#free === 0;
  }
}

export class RwLock {
  #readers = 0;
  #writer = false;
  readonly #queue: Array<{ write: boolean; go: () => void }> = [];

  #pump(): void {
    while (this.#queue.length > 0 && !this.#writer) {
      const head = this.#queue[0]!;
      if (head.write) {
        if (this.#readers > 0) return;
        this.#writer = true;
      } else {
        this.#readers++;
      }
      this.#queue.shift();
      head.go();
    }
  }

  async #acquire(write: boolean): Promise<() => void> {
    await new Promise<void>((go) => {
      this.#queue.push({ write, go });
      this.#pump();
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (write) this.#writer = false;
      else this.#readers--;
      this.#pump();
    };
  }

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.#acquire(false);
    try { return await fn(); } finally { release(); }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.#acquire(true);
    try { return await fn(); } finally { release(); }
  }
}
