/** The system service: host facts, configuration view and provider-fed counts for /info and /system/df. */
export { readHostFacts, type HostFacts } from './host.js';
export {
  createSystemService, type SystemConfigView, type SystemInfoFacts, type SystemProviders,
  type SystemService, type SystemServiceDeps,
} from './service.js';
export * from './providers.js';
