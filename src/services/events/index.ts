/** The events service: an in-memory bus with Docker's event shape, filters and time ranges. */
export type {
  EventActor, EventMessage, EventSubscription, EventType, EventsPublisher, EventsService, SubscribeOptions,
} from './types.js';
export { EventBus, nowNano, type EventBusOptions } from './bus.js';
export { eventFilter } from './filter.js';
