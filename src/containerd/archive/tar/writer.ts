/**
 * A tar writer with backpressure. Output is deterministic for given input (no wall-clock
 * fields, sorted PAX records), PAX is used only where ustar cannot say it (long or non-ASCII
 * names, large ids or sizes, xattrs), and xattr values are written as raw bytes, as Go's
 * archive/tar (and so Docker) does.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { internal } from '../../../common/errors.js';
import { BLOCK, encodeHeader, fitsOctal } from './header.js';
import type { TarType } from './header.js';

export interface TarWriteEntry {
  name: string;
  type: Exclude<TarType, 'pax-header' | 'pax-global-header' | 'gnu-long-path' | 'gnu-long-link-path'>;
  mode: number;
  uid?: number;
  gid?: number;
  size?: number;
  /** Seconds since the epoch; fractions are dropped. */
  mtime?: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: ReadonlyMap<string, Uint8Array>;
}

/** One PAX record; its length prefix counts itself. */
function paxRecord(key: string, value: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + String(body.length).length;
  if (String(len).length !== String(body.length).length) len = body.length + String(len).length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

// eslint-disable-next-line no-control-regex
const isAscii = (s: string): boolean => /^[\x01-\x7f]*$/.test(s);

function nameFitsUstar(name: Buffer): boolean {
  if (name.length <= 100) return true;
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] === 0x2f && i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return true;
  }
  return false;
}

const pad = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

export class TarWriter {
  constructor(private readonly out: Writable) {}

  private async write(buf: Buffer): Promise<void> {
    if (buf.length === 0) return;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  /** Appends one entry. A file's body must deliver exactly `size` bytes. */
  async add(e: TarWriteEntry, body?: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const size = e.type === 'file' ? (e.size ?? (body instanceof Uint8Array ? body.length : 0)) : 0;
    const uid = e.uid ?? 0;
    const gid = e.gid ?? 0;
    const mtime = Math.floor(e.mtime ?? 0);
    const name = Buffer.from(e.type === 'directory' && !e.name.endsWith('/') ? `${e.name}/` : e.name);
    const linkname = Buffer.from(e.linkname ?? '');
    const pax: Buffer[] = [];
    if (!isAscii(e.name) || !nameFitsUstar(name)) pax.push(paxRecord('path', name));
    if (!isAscii(e.linkname ?? '') || linkname.length > 100) pax.push(paxRecord('linkpath', linkname));
    if (!fitsOctal(uid, 7)) pax.push(paxRecord('uid', Buffer.from(String(uid))));
    if (!fitsOctal(gid, 7)) pax.push(paxRecord('gid', Buffer.from(String(gid))));
    if (!fitsOctal(size, 11)) pax.push(paxRecord('size', Buffer.from(String(size))));
    if (!fitsOctal(mtime, 11)) pax.push(paxRecord('mtime', Buffer.from(String(mtime))));
    for (const key of [...(e.xattrs?.keys() ?? [])].sort()) {
      pax.push(paxRecord(`SCHILY.xattr.${key}`, e.xattrs!.get(key)!));
    }
    const fields = {
      type: e.type, mode: e.mode, uid, gid, size, mtime, linkname,
      uname: e.uname ?? '', gname: e.gname ?? '', devmajor: e.devmajor ?? 0, devminor: e.devminor ?? 0,
    };
    if (pax.length) {
      const data = Buffer.concat(pax);
      const slash = e.name.replace(/\/+$/, '').lastIndexOf('/');
      const paxName = `${slash >= 0 ? e.name.slice(0, slash + 1) : ''}PaxHeaders.0/${e.name.replace(/\/+$/, '').slice(slash + 1)}`;
      await this.write(encodeHeader({
        ...fields, type: 'pax-header', name: Buffer.from(paxName).subarray(0, 100), size: data.length,
        linkname: Buffer.alloc(0), devmajor: 0, devminor: 0,
      }));
      await this.write(Buffer.concat([data, pad(data.length)]));
    }
    await this.write(encodeHeader({ ...fields, name }));
    if (size === 0) return;
    let written = 0;
    if (body instanceof Uint8Array) {
      written = body.length;
      await this.write(Buffer.from(body));
    } else if (body) {
      for await (const chunk of body) {
        written += chunk.length;
        if (written > size) break;
        await this.write(Buffer.from(chunk));
      }
    }
    if (written !== size) throw internal(`tar entry "${e.name}": expected ${size} bytes, got ${written}`);
    await this.write(pad(size));
  }

  /** Writes the end-of-archive marker and ends the output stream. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(2 * BLOCK));
    const finished = once(this.out, 'finish');
    this.out.end();
    await finished;
  }
}
