/**
 * Container mounts: parsing (`-v`, `--mount`, `--tmpfs`, `--volumes-from`), resolution at
 * create, setup at start (OCI mounts), release at stop, and the inspect view.
 */
export { parseBind, parseVolumesFrom, validMode, readWrite } from './bind.js';
export { parseMountSpec, validateMountConfig, tmpfsData, destinationProblem } from './spec.js';
export { mergeTmpfsOptions, tmpfsOptions } from './tmpfs.js';
export { toOciMounts, inspectMounts, sortByDepth } from './oci.js';
export type { OciMounts, OciMountOptions } from './oci.js';
export { resolveMounts } from './resolve.js';
export type { HostConfigMounts, MountSource, ResolveMountsDeps, ResolveMountsInput, VolumeCreator } from './resolve.js';
export { setupMounts, teardownMounts } from './setup.js';
export type { SetupMountsInput, VolumeMounter } from './setup.js';
export { copyUp } from '../volumes/copy-up.js';
export type { ApiMount, BindOptions, InspectMount, MountPoint, MountType, TmpfsOptions, VolumeOptions } from './types.js';
export { containerMounts } from './container-mounts.js';
export type { ContainerMountsDeps, ContainerMountsRecord } from './container-mounts.js';
