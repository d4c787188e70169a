/** Our tar codec: a streaming reader and writer, binary-safe for PAX xattrs. */
export { readTar, parsePax } from './reader.js';
export type { TarEntry } from './reader.js';
export { TarWriter } from './writer.js';
export type { TarWriteEntry } from './writer.js';
export type { TarHeader, TarType } from './header.js';
