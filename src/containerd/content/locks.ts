/**
 * In-process locks for the content store. Ingest locks are try-locks (a second writer of the same
 * ref is refused, as containerd does, so the caller can wait and then find the blob committed);
 * the keyed mutex serialises read-modify-write of one blob's label file.
 */

/** Held ingest directories, process-wide so that two store objects on one root also exclude. */
const heldIngests = new Set<string>();

export function tryLockIngest(key: string): boolean {
  if (heldIngests.has(key)) return false;
  heldIngests.add(key);
  return true;
}

export function unlockIngest(key: string): void {
  heldIngests.delete(key);
}

export function isIngestLocked(key: string): boolean {
  return heldIngests.has(key);
}

/** Runs functions one at a time per key; different keys run concurrently. */
export class KeyedMutex {
  #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
