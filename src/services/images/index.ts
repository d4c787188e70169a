/**
 * The images service: Docker's image model (pull, push, tag, rmi, list, inspect, history,
 * save/load, import, prune, commit) over the content store, snapshotter and metadata.
 */
export { ImagesService, type ImagesServiceDeps } from './service.js';
export type { PullOptions } from './pull.js';
export type { ListOptions } from './list.js';
export type { PreparedRootfs } from './rootfs.js';
export {
  noImageUsage, type ImageUsage, type ImageEvent, type ImageView, type ImageSummary, type ImageInspect,
  type HistoryItem, type DeleteResponseItem, type PruneReport, type FilterArgs,
} from './types.js';
export {
  encodeMessage, errorMessage, statusMessage, progressMessage, discardProgress,
  type JSONMessage, type JSONProgress, type ProgressOutput,
} from './progress.js';
export { parseFilters } from './filters.js';
export { LIST_FILTERS } from './list.js';
export { withTagOrDigest, parseImageName } from './names.js';
export { decodeRegistryAuth, fromWire, headerCredentials, type HeaderAuth } from './auth-header.js';
export { PRUNE_FILTERS } from './prune.js';
export type { PushJob } from './push.js';
export type { SaveJob } from './save.js';
export type { ImportOptions } from './import.js';
export type { CommitOptions } from './commit.js';
export type { DistributionInspect, AuthRequest } from './distribution.js';
export { applyChanges } from './changes.js';
export { openImageStores, registryClientFromConfig, type ImageStores, type RegistryConfigView } from './stores.js';
