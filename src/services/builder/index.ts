/** The builder service: `docker build` with the classic engine, and build cache pruning. */
export { BuilderService, type BuilderServiceDeps, type BuildPruneReport } from './service.js';
export { ServicesBackend, type BuildContainers } from './backend.js';
