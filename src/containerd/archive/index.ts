/**
 * Layer archives: unpacking a layer tar into a directory (apply), producing one from a
 * directory's changes (diff, changes), and undoing compression (decompress).
 */
export { applyLayer } from './apply.js';
export type { ApplyOptions, ApplyResult } from './apply.js';
export { decompress, detectCompression, decompressorFor } from './decompress.js';
export type { Compression } from './decompress.js';
export type { WhiteoutMode } from './whiteouts.js';
export { writeDiff } from './diff.js';
export type { DiffOptions } from './diff.js';
export { changes, walkChanges } from './changes.js';
export type { Change, ChangeKind, DiffMode } from './changes.js';
