/**
 * Garbage collection of the lifecycle layer: mark everything reachable from the roots, sweep
 * the rest. See collect.ts for the rules. Callers run it while no pull, load or import is in
 * progress (the images service holds its lock exclusively), as containerd's GC holds the
 * metadata database's write lock.
 */
export { collectGarbage, type GcDeps, type GcResult, type SnapshotRootProvider } from './collect.js';
export { markContent, childrenOf } from './mark.js';
