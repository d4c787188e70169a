/**
 * The event model, shaped like Docker's events.Message so the API layer only renames nothing:
 * `Type`, `Action`, `Actor {ID, Attributes}`, `scope`, `time`, `timeNano`. `timeNano` is a
 * bigint because nanoseconds since 1970 exceed 2^53.
 */

export type EventType =
  | 'builder' | 'config' | 'container' | 'daemon' | 'image' | 'network' | 'node' | 'plugin'
  | 'secret' | 'service' | 'volume';

export interface EventActor {
  ID: string;
  Attributes: Record<string, string>;
}

export interface EventMessage {
  Type: EventType;
  Action: string;
  Actor: EventActor;
  scope: 'local' | 'swarm';
  /** Seconds since the epoch. */
  time: number;
  /** Nanoseconds since the epoch. */
  timeNano: bigint;
}

/** A subscription: the buffered past events in range, then the live ones. */
export interface EventSubscription extends AsyncIterable<EventMessage> {
  /** Past events from the ring buffer within [since, until], oldest first. */
  readonly buffered: readonly EventMessage[];
  /** Ends the live iteration (idempotent). */
  close(): void;
}

export interface SubscribeOptions {
  /** Nanoseconds since the epoch; buffered events older than this are left out. */
  since?: bigint;
  /** Nanoseconds; the subscription ends at this time (or at once when it is in the past). */
  until?: bigint;
  filter?: (ev: EventMessage) => boolean;
}

/** What other services hold to publish events; the API holds `subscribe`. */
export interface EventsPublisher {
  log(type: EventType, action: string, actor: { ID: string; Attributes?: Record<string, string> }): EventMessage;
}

export interface EventsService extends EventsPublisher {
  subscribe(opts: SubscribeOptions): EventSubscription;
  /** Current number of live subscribers. */
  subscribers(): number;
  /** Ends every subscription. */
  shutdown(): Promise<void>;
}
