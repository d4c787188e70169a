/** Typed Dockerfile instructions and stages, built from the parser's AST. */
export { findStage, parseInstruction, parseStages, UnknownInstructionError } from './parse.js';
export type { ParsedStages } from './parse.js';
export { parseMount } from './mount.js';
export type { Mount, MountType, ShareMode } from './mount.js';
export { parseGoDuration } from './duration.js';
export type * from './types.js';
