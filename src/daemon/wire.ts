/**
 * The composition root: every service the daemon runs, what each needs, and the API routes they
 * contribute — listed here, typed, with no registration by import side effect.
 *
 * Adding a service (images, containers, …): build it in `buildServices` from what it needs
 * (config, logger, events publisher, other services), put it in its slot of `Services`, and
 * concatenate its routes in `apiRoutes`. A slot holds a `ServiceModule`: the service object
 * (narrow `unknown` to your service interface when you fill the slot) and its `Route[]`.
 * Shutdown runs in reverse order of this list.
 */
import { basename } from 'node:path';
import type { Route } from '../api/route.js';
import { systemRoutes } from '../api/routes/system.js';
import { EventBus, type EventsService } from '../services/events/index.js';
import {
  createSystemService, type HostFacts, type SystemConfigView, type SystemService,
} from '../services/system/index.js';
import type { DaemonConfig } from './config.js';
import type { Logger } from './log.js';
import { buildResourceServices } from './wire-services.js';

/** A service slot: the service, its API routes, its shutdown. */
export interface ServiceModule<S = unknown> {
  service: S;
  routes: readonly Route[];
  shutdown(): Promise<void>;
}

export interface Services {
  events: EventsService;
  system: SystemService;
  // Slots others are building; each fills its own with its typed service.
  images?: ServiceModule;
  containers?: ServiceModule;
  networks?: ServiceModule;
  volumes?: ServiceModule;
  exec?: ServiceModule;
  builder?: ServiceModule;
}

/** What the composition root hands to services. */
export interface WireContext {
  /** The current configuration (changes on SIGHUP reload). */
  config: () => DaemonConfig;
  logger: Logger;
  host: HostFacts;
  engineId: string;
}

const SLOTS = ['images', 'containers', 'networks', 'volumes', 'exec', 'builder'] as const;

function configView(ctx: WireContext): SystemConfigView {
  const c = ctx.config();
  return {
    engineId: ctx.engineId,
    name: ctx.host.hostname,
    dataRoot: c.dataRoot,
    debug: c.debug,
    experimental: c.experimental,
    liveRestore: c.liveRestore,
    loggingDriver: c.logDriver,
    cgroupDriver: 'cgroupfs',
    storageDriver: c.storageDriver,
    defaultRuntime: c.defaultRuntime,
    runtimes: { runc: { path: 'skiff-runc' }, ...c.runtimes },
    labels: c.labels,
    insecureRegistries: c.insecureRegistries,
    registryMirrors: c.registryMirrors,
    defaultAddressPools: c.defaultAddressPools,
    // What `--init` runs (docker reports its docker-init here), by name as dockerd reports it.
    initBinary: c.initPath ? basename(c.initPath) : 'skiff-tini',
    seccompProfile: 'builtin',
    cgroupns: ctx.host.cgroupVersion === '2',
    userns: c.usernsRemap !== '',
  };
}

export async function buildServices(ctx: WireContext): Promise<Services> {
  const events = new EventBus();
  const system = createSystemService({
    host: ctx.host,
    config: () => configView(ctx),
    eventListeners: () => events.subscribers(),
  });
  const resources = await buildResourceServices(ctx, events, system);
  return { events, system, ...resources };
}

export function apiRoutes(services: Services, ctx: WireContext): Route[] {
  const routes: Route[] = systemRoutes({
    system: services.system,
    events: services.events,
    minApiVersion: () => ctx.config().minApiVersion,
    experimental: () => ctx.config().experimental,
  });
  for (const slot of SLOTS) routes.push(...(services[slot]?.routes ?? []));
  return routes;
}

/** Stops services in reverse order of construction; one failure does not skip the rest. */
export async function shutdownServices(services: Services, logger: Logger): Promise<void> {
  const steps: [string, () => Promise<void>][] = [
    ...[...SLOTS].reverse().flatMap((s) => (services[s] ? [[s, () => services[s]!.shutdown()] as [string, () => Promise<void>]] : [])),
    ['system', () => services.system.shutdown()],
    ['events', () => services.events.shutdown()],
  ];
  for (const [name, stop] of steps) {
    try {
      await stop();
    } catch (e) {
      logger.error(`error shutting down ${name} service`, { error: e });
    }
  }
}
