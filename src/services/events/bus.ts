/**
 * The event bus: keeps the last `capacity` events in a ring buffer (moby keeps 256) for
 * `since`/`until` queries and fans new events out to live subscribers. A subscriber that falls
 * more than `queueLimit` events behind is cut off, as moby's publisher drops listeners that do
 * not keep up, so one stalled client can never grow the daemon's memory.
 */
import type {
  EventMessage, EventSubscription, EventType, EventsService, SubscribeOptions,
} from './types.js';

export interface EventBusOptions {
  capacity?: number;
  queueLimit?: number;
}

// Wall-clock nanoseconds that never go backwards: the epoch at start-up plus monotonic time.
const HR0 = process.hrtime.bigint();
const EPOCH0 = BigInt(Date.now()) * 1_000_000n;

export function nowNano(): bigint {
  return EPOCH0 + (process.hrtime.bigint() - HR0);
}

class Subscriber implements EventSubscription {
  private queue: EventMessage[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly buffered: readonly EventMessage[],
    private readonly opts: SubscribeOptions,
    private readonly limit: number,
    private readonly onClose: (s: Subscriber) => void,
  ) {
    if (opts.until !== undefined) {
      const ms = Number((opts.until - nowNano()) / 1_000_000n);
      if (ms <= 0) this.close();
      else this.timer = setTimeout(() => this.close(), ms);
    }
  }

  offer(ev: EventMessage): void {
    if (this.closed) return;
    if (this.opts.filter && !this.opts.filter(ev)) return;
    if (this.queue.length >= this.limit) {
      this.close();
      return;
    }
    this.queue.push(ev);
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.onClose(this);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<EventMessage> {
    try {
      for (;;) {
        if (this.queue.length) {
          const batch = this.queue;
          this.queue = [];
          yield* batch;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}

export class EventBus implements EventsService {
  private readonly ring: (EventMessage | undefined)[];
  private head = 0; // index of the next write
  private size = 0;
  private readonly subs = new Set<Subscriber>();
  private readonly queueLimit: number;

  constructor(opts: EventBusOptions = {}) {
    this.ring = new Array<EventMessage | undefined>(opts.capacity ?? 256);
    this.queueLimit = opts.queueLimit ?? 1024;
  }

  log(type: EventType, action: string, actor: { ID: string; Attributes?: Record<string, string> }): EventMessage {
    const timeNano = nowNano();
    const ev: EventMessage = {
      Type: type,
      Action: action,
      Actor: { ID: actor.ID, Attributes: { ...(actor.Attributes ?? {}) } },
      scope: 'local',
      time: Number(timeNano / 1_000_000_000n),
      timeNano,
    };
    this.publish(ev);
    return ev;
  }

  /** Publishes a fully formed message (restored or forwarded events keep their time). */
  publish(ev: EventMessage): void {
    this.ring[this.head] = ev;
    this.head = (this.head + 1) % this.ring.length;
    if (this.size < this.ring.length) this.size++;
    for (const s of this.subs) s.offer(ev);
  }

  subscribe(opts: SubscribeOptions): EventSubscription {
    // Snapshot and registration happen in one synchronous step, so no event can fall between.
    const buffered = this.buffered(opts);
    const sub = new Subscriber(buffered, opts, this.queueLimit, (s) => this.subs.delete(s));
    if (opts.until === undefined || opts.until > nowNano()) this.subs.add(sub);
    return sub;
  }

  subscribers(): number {
    return this.subs.size;
  }

  async shutdown(): Promise<void> {
    for (const s of [...this.subs]) s.close();
  }

  /** moby returns buffered events only when since or until is given. */
  private buffered(opts: SubscribeOptions): EventMessage[] {
    if (opts.since === undefined && opts.until === undefined) return [];
    const since = opts.since ?? 0n;
    const out: EventMessage[] = [];
    const n = this.ring.length;
    for (let i = 1; i <= this.size; i++) {
      const ev = this.ring[(this.head - i + n) % n]!;
      if (ev.timeNano < since) break;
      if (opts.until !== undefined && ev.timeNano > opts.until) continue;
      if (!opts.filter || opts.filter(ev)) out.push(ev);
    }
    return out.reverse();
  }
}
