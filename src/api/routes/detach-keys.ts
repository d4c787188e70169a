/**
 * Detach keys of an attach's stdin (`ctrl-p,ctrl-q` by default): parsing Docker's notation, and
 * watching the input for the sequence. Like Docker's escape proxy, bytes that could begin the
 * sequence are held back until later input decides: a lone ctrl-p typed at a terminal reaches
 * the container only once the next key shows it was not a detach; a detach never leaks its
 * first keys into the container. Held bytes are released at EOF.
 */
import { invalidArgument } from '../../common/errors.js';

/** `ctrl-p,ctrl-q` → bytes; Docker's default when none is given. */
export function parseDetachKeys(spec: string | undefined): Buffer {
  const keys = (spec || 'ctrl-p,ctrl-q').split(',').map((k) => {
    const m = /^ctrl-([a-z@\[\\\]^_])$/.exec(k.trim());
    if (m) return m[1]!.charCodeAt(0) & 0x1f;
    if (k.length === 1) return k.charCodeAt(0);
    throw invalidArgument(`Invalid detach keys (${spec}) provided`);
  });
  return Buffer.from(keys);
}

export class DetachScanner {
  /** How many leading bytes of the sequence ended the input so far (held back). */
  private held = 0;

  constructor(private readonly keys: Buffer) {}

  /** What of `chunk` (and of earlier held bytes) goes to the container, and whether to detach. */
  feed(chunk: Buffer): { data: Buffer; detach: boolean } {
    const keys = this.keys;
    const all = this.held ? Buffer.concat([keys.subarray(0, this.held), chunk]) : chunk;
    this.held = 0;
    const at = all.indexOf(keys);
    if (at >= 0) return { data: all.subarray(0, at), detach: true };
    for (let n = Math.min(keys.length - 1, all.length); n > 0; n--) {
      if (all.subarray(all.length - n).equals(keys.subarray(0, n))) {
        this.held = n;
        return { data: all.subarray(0, all.length - n), detach: false };
      }
    }
    return { data: all, detach: false };
  }

  /** At EOF: the held bytes turned out to be input. */
  flush(): Buffer {
    const out = Buffer.from(this.keys.subarray(0, this.held));
    this.held = 0;
    return out;
  }
}
