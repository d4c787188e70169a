/** The classic (legacy) build engine: Dockerfile stages dispatched step by step into images. */
export { LegacyBuild, short } from './build.js';
export { RunFailedError } from './dispatch-run.js';
export { BuildCache } from './cache.js';
export { pruneCacheMounts } from './cache-mounts.js';
export { BuildArgs, PREDEFINED_ARGS } from './args.js';
export type { BaseImage, BuildBackend, BuildMessage, BuildOptions, BuildOutput, CommitSpec, RunSpec } from './types.js';
