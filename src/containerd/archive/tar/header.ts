/**
 * The 512-byte tar header (POSIX ustar, with the GNU and PAX extensions that image layers use).
 * We keep our own codec rather than tar-stream's because layers carry binary PAX values
 * (`SCHILY.xattr.security.capability`) that must survive byte for byte, and uids/sizes beyond
 * the octal fields' range, which need PAX records or GNU base-256 numbers.
 */
import { invalidArgument } from '../../../common/errors.js';

export const BLOCK = 512;

export type TarType =
  | 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo'
  | 'pax-header' | 'pax-global-header' | 'gnu-long-path' | 'gnu-long-link-path';

const TYPE_BY_FLAG: Record<string, TarType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'character-device',
  '4': 'block-device', '5': 'directory', '6': 'fifo', 'x': 'pax-header', 'g': 'pax-global-header',
  'L': 'gnu-long-path', 'K': 'gnu-long-link-path',
};
const FLAG_BY_TYPE: Record<TarType, string> = {
  'file': '0', 'link': '1', 'symlink': '2', 'character-device': '3', 'block-device': '4',
  'directory': '5', 'fifo': '6', 'pax-header': 'x', 'pax-global-header': 'g',
  'gnu-long-path': 'L', 'gnu-long-link-path': 'K',
};

/** A decoded entry header, after PAX and GNU long-name records were merged into it. */
export interface TarHeader {
  name: string;
  type: TarType;
  /** Permission and special bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch; PAX may carry a fraction. */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from `SCHILY.xattr.<name>` PAX records, raw bytes. */
  xattrs: Map<string, Buffer>;
}

function cstr(buf: Buffer, start: number, end: number): Buffer {
  const nul = buf.indexOf(0, start);
  return buf.subarray(start, nul === -1 || nul > end ? end : nul);
}

/** Parses an octal field, or a GNU base-256 field (high bit of the first byte set). */
function num(buf: Buffer, start: number, end: number, field: string): number {
  if (buf[start]! & 0x80) {
    if (buf[start] === 0xff) throw invalidArgument(`tar header field ${field} is negative`);
    let n = buf[start]! & 0x7f;
    for (let i = start + 1; i < end; i++) n = n * 256 + buf[i]!;
    if (!Number.isSafeInteger(n)) throw invalidArgument(`tar header field ${field} is too large`);
    return n;
  }
  const s = cstr(buf, start, end).toString('latin1').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw invalidArgument(`tar header field ${field} is not octal: "${s}"`);
  return parseInt(s, 8);
}

function checksum(buf: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += buf[i]!;
  return sum;
}

export function isZeroBlock(buf: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Decodes one header block; PAX/GNU records are merged later by the reader. */
export function decodeHeader(buf: Buffer): TarHeader {
  const stored = num(buf, 148, 156, 'chksum');
  if (stored !== checksum(buf)) throw invalidArgument('invalid tar header: checksum mismatch');
  const flag = String.fromCharCode(buf[156]!);
  const type = TYPE_BY_FLAG[flag];
  if (!type) throw invalidArgument(`unsupported tar entry type '${flag}'`);
  let name = cstr(buf, 0, 100).toString('utf8');
  // Only POSIX ustar has a prefix field; GNU stores times at the same offset.
  if (buf.subarray(257, 263).equals(Buffer.from('ustar\0', 'latin1'))) {
    const prefix = cstr(buf, 345, 500).toString('utf8');
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    type,
    mode: num(buf, 100, 108, 'mode') & 0o7777,
    uid: num(buf, 108, 116, 'uid'),
    gid: num(buf, 116, 124, 'gid'),
    size: num(buf, 124, 136, 'size'),
    mtime: num(buf, 136, 148, 'mtime'),
    linkname: cstr(buf, 157, 257).toString('utf8'),
    uname: cstr(buf, 265, 297).toString('utf8'),
    gname: cstr(buf, 297, 329).toString('utf8'),
    devmajor: num(buf, 329, 337, 'devmajor'),
    devminor: num(buf, 337, 345, 'devminor'),
    xattrs: new Map(),
  };
}

/** Writes an octal field; false when the value does not fit (the caller then uses PAX). */
function putOctal(buf: Buffer, value: number, start: number, width: number): boolean {
  const s = Math.max(0, Math.floor(value)).toString(8);
  if (s.length > width - 1) return false;
  buf.write(s.padStart(width - 1, '0') + '\0', start, 'latin1');
  return true;
}

export interface RawHeaderFields {
  name: Buffer;
  type: TarType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: Buffer;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

/** Encodes a ustar block. Fields that do not fit are truncated/zeroed: the writer covers them with PAX. */
export function encodeHeader(h: RawHeaderFields): Buffer {
  const buf = Buffer.alloc(BLOCK);
  let name = h.name;
  let prefix: Buffer | undefined;
  if (name.length > 100) {
    // Split at a slash so that prefix ≤ 155 and name ≤ 100, as ustar readers expect.
    for (let i = name.length - 1; i > 0; i--) {
      if (name[i] === 0x2f && i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
        prefix = name.subarray(0, i);
        name = name.subarray(i + 1);
        break;
      }
    }
  }
  name.copy(buf, 0, 0, Math.min(name.length, 100));
  putOctal(buf, h.mode & 0o7777, 100, 8);
  putOctal(buf, h.uid, 108, 8) || putOctal(buf, 0, 108, 8);
  putOctal(buf, h.gid, 116, 8) || putOctal(buf, 0, 116, 8);
  putOctal(buf, h.size, 124, 12) || putOctal(buf, 0, 124, 12);
  putOctal(buf, h.mtime, 136, 12) || putOctal(buf, 0, 136, 12);
  buf[156] = FLAG_BY_TYPE[h.type].charCodeAt(0);
  h.linkname.copy(buf, 157, 0, Math.min(h.linkname.length, 100));
  buf.write('ustar\u000000', 257, 'latin1');
  buf.write(h.uname.slice(0, 31), 265, 'utf8');
  buf.write(h.gname.slice(0, 31), 297, 'utf8');
  putOctal(buf, h.devmajor, 329, 8);
  putOctal(buf, h.devminor, 337, 8);
  if (prefix) prefix.copy(buf, 345, 0, Math.min(prefix.length, 155));
  buf.write(checksum(buf).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return buf;
}

/** Whether a numeric value fits its octal field (uid/gid: 7 digits, size/mtime: 11). */
export function fitsOctal(value: number, digits: number): boolean {
  return value >= 0 && Number.isInteger(value) && value < 8 ** digits;
}
