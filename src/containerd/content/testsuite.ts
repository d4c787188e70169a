/**
 * The content store conformance suite: every Store implementation runs these same cases
 * (containerd's `content/testsuite` does the same for its local and proxy stores).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { EngineError, type ErrorKind } from '../../common/errors.js';
import { digestOf } from './digest.js';
import { readBlob, writeBlob, type BlobSource } from './helpers.js';
import type { Store } from './index.js';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

function isKind(kind: ErrorKind): (e: unknown) => boolean {
  return (e: unknown) => e instanceof EngineError && e.kind === kind;
}

async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function chunked(data: Buffer, size = 64 * 1024): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  })());
}

export function contentStoreSuite(name: string, factory: () => Promise<StoreFixture>): void {
  const withStore = (title: string, fn: (s: Store) => Promise<void>): void => {
    test(`${name}: ${title}`, async () => {
      const fx = await factory();
      try { await fn(fx.store); } finally { await fx.cleanup(); }
    });
  };

  withStore('write, commit, info and read back', async (s) => {
    const data = Buffer.from('hello content store');
    const w = await s.writer({ ref: 'ref-1' });
    await w.write(data.subarray(0, 5));
    await w.write(data.subarray(5));
    assert.equal(w.offset, data.length);
    assert.equal(w.digest(), digestOf(data));
    await w.commit(data.length, digestOf(data));
    const info = await s.info(digestOf(data));
    assert.equal(info.size, data.length);
    assert.deepEqual(info.labels, {});
    assert.deepEqual(await collect(await s.read({ digest: digestOf(data) })), data);
    assert.deepEqual(await collect(await s.read({ digest: digestOf(data) }, { offset: 6, length: 7 })), data.subarray(6, 13));
    const ra = await s.readerAt({ digest: digestOf(data) });
    const buf = Buffer.alloc(4);
    assert.equal(await ra.readAt(buf, 15), 4);
    assert.equal(buf.toString(), 'tore');
    assert.equal(ra.size, data.length);
    await ra.close();
    await assert.rejects(s.status('ref-1'), isKind('not-found'));
  });

  withStore('a digest mismatch is refused and leaves nothing visible', async (s) => {
    const w = await s.writer({ ref: 'bad' });
    await w.write(Buffer.from('tampered'));
    const wanted = digestOf('original');
    await assert.rejects(w.commit(8, wanted), (e: unknown) => isKind('failed-precondition')(e) && /unexpected commit digest/.test((e as Error).message));
    await assert.rejects(s.info(wanted), isKind('not-found'));
    await assert.rejects(s.info(digestOf('tampered')), isKind('not-found'));
    await assert.rejects(s.status('bad'), isKind('not-found'));
    assert.deepEqual(await s.listStatuses(), []);
  });

  withStore('a size mismatch is refused', async (s) => {
    const w = await s.writer({ ref: 'short' });
    await w.write(Buffer.from('abc'));
    await assert.rejects(w.commit(4, digestOf('abc')), (e: unknown) => isKind('failed-precondition')(e) && /unexpected commit size 3, expected 4/.test((e as Error).message));
    await assert.rejects(s.info(digestOf('abc')), isKind('not-found'));
  });

  withStore('a second writer of the same ref is refused until the first closes', async (s) => {
    const w = await s.writer({ ref: 'busy' });
    await assert.rejects(s.writer({ ref: 'busy' }), isKind('unavailable'));
    await assert.rejects(s.abort('busy'), isKind('unavailable'));
    const other = await s.writer({ ref: 'other' });
    await other.close();
    await w.close();
    const again = await s.writer({ ref: 'busy' });
    await again.close();
  });

  withStore('an interrupted ingest resumes from its offset', async (s) => {
    const data = randomBytes(300_000);
    const d = digestOf(data);
    const w1 = await s.writer({ ref: 'resume', desc: { digest: d, size: data.length } });
    await w1.write(data.subarray(0, 100_000));
    await w1.close();
    const st = await s.status('resume');
    assert.equal(st.offset, 100_000);
    assert.equal(st.total, data.length);
    assert.equal(st.expected, d);
    const w2 = await s.writer({ ref: 'resume', desc: { digest: d, size: data.length } });
    assert.equal(w2.offset, 100_000);
    await w2.write(data.subarray(100_000));
    assert.equal(w2.digest(), d);
    await w2.commit(data.length, d);
    assert.equal((await s.info(d)).size, data.length);
  });

  withStore('truncate restarts an ingest', async (s) => {
    const w = await s.writer({ ref: 't' });
    await w.write(Buffer.from('garbage'));
    await w.truncate(0);
    assert.equal(w.offset, 0);
    await w.write(Buffer.from('good'));
    await w.commit(4, digestOf('good'));
    assert.deepEqual(await readBlob(s, { digest: digestOf('good') }), Buffer.from('good'));
  });

  withStore('abort removes an ingest; statuses list by prefix', async (s) => {
    for (const ref of ['layer-1', 'layer-2', 'config-1']) {
      const w = await s.writer({ ref });
      await w.write(Buffer.from(ref));
      await w.close();
    }
    assert.deepEqual((await s.listStatuses('layer-')).map((x) => x.ref), ['layer-1', 'layer-2']);
    await s.abort('layer-1');
    await assert.rejects(s.status('layer-1'), isKind('not-found'));
    await assert.rejects(s.abort('layer-1'), isKind('not-found'));
    assert.deepEqual((await s.listStatuses()).map((x) => x.ref), ['config-1', 'layer-2']);
  });

  withStore('existing content gives already-exists', async (s) => {
    const w = await s.writer({ ref: 'a' });
    await w.write(Buffer.from('x'));
    await w.commit(1, digestOf('x'));
    await assert.rejects(s.writer({ ref: 'b', desc: { digest: digestOf('x') } }), isKind('already-exists'));
    const w2 = await s.writer({ ref: 'c' });
    await w2.write(Buffer.from('x'));
    await assert.rejects(w2.commit(1, digestOf('x')), isKind('already-exists'));
    await assert.rejects(s.status('c'), isKind('not-found'));
  });

  withStore('labels: set at commit, updated by field path, walked, deleted', async (s) => {
    const w = await s.writer({ ref: 'l' });
    await w.write(Buffer.from('manifest'));
    const d = digestOf('manifest');
    await w.commit(8, d, { labels: { 'containerd.io/gc.ref.content.l.0': 'sha256:' + 'a'.repeat(64) } });
    assert.deepEqual((await s.info(d)).labels, { 'containerd.io/gc.ref.content.l.0': 'sha256:' + 'a'.repeat(64) });
    let info = await s.update({ digest: d, labels: { 'containerd.io/gc.root': 'x' } }, ['labels.containerd.io/gc.root']);
    assert.equal(Object.keys(info.labels).length, 2);
    info = await s.update({ digest: d, labels: {} }, ['labels.containerd.io/gc.root']);
    assert.deepEqual(Object.keys(info.labels), ['containerd.io/gc.ref.content.l.0']);
    info = await s.update({ digest: d, labels: { a: 'b' } });
    assert.deepEqual(info.labels, { a: 'b' });
    await assert.rejects(s.update({ digest: d, labels: {} }, ['size']), isKind('invalid-argument'));
    await assert.rejects(s.update({ digest: digestOf('nope'), labels: {} }), isKind('not-found'));
    await assert.rejects(s.update({ digest: d, labels: { k: 'v'.repeat(5000) } }), isKind('invalid-argument'));

    const w2 = await s.writer({ ref: 'l2' });
    await w2.write(Buffer.from('other'));
    await w2.commit(5, digestOf('other'));
    const seen: string[] = [];
    await s.walk((i) => { seen.push(i.digest); });
    assert.deepEqual(seen.sort(), [d, digestOf('other')].sort());
    const labelled: string[] = [];
    await s.walk((i) => { labelled.push(i.digest); }, (i) => i.labels['a'] === 'b');
    assert.deepEqual(labelled, [d]);

    await s.delete(d);
    await assert.rejects(s.info(d), isKind('not-found'));
    await assert.rejects(s.delete(d), (e: unknown) => isKind('not-found')(e) && (e as Error).message === `No such blob: ${d}`);
    await assert.rejects(s.read({ digest: d }), isKind('not-found'));
  });

  withStore('invalid digests are invalid arguments', async (s) => {
    await assert.rejects(s.info('sha256:xyz'), isKind('invalid-argument'));
    await assert.rejects(s.writer({ ref: 'r', desc: { digest: 'md5:00' } }), isKind('invalid-argument'));
    await assert.rejects(s.writer({ ref: '' }), isKind('invalid-argument'));
  });

  withStore('writeBlob streams a large blob and resumes after a broken source', async (s) => {
    const data = randomBytes(3 << 20);
    const desc = { digest: digestOf(data), size: data.length };
    const offsets: number[] = [];
    const broken: BlobSource = async (offset) => {
      offsets.push(offset);
      const part = data.subarray(offset, offset + (1 << 20));
      return {
        offset,
        stream: Readable.from((async function* () {
          yield part;
          throw new Error('connection reset');
        })()),
      };
    };
    await assert.rejects(writeBlob(s, 'big', broken, desc), /connection reset/);
    assert.equal((await s.status('big')).offset, 1 << 20);
    await writeBlob(s, 'big', async (offset) => { offsets.push(offset); return { offset, stream: chunked(data.subarray(offset)) }; }, desc);
    assert.deepEqual(offsets, [0, 1 << 20]);
    assert.equal((await s.info(desc.digest)).size, data.length);
    // Present already: the source is not opened again.
    await writeBlob(s, 'big', async () => assert.fail('source opened'), desc);
  });

  withStore('writeBlob restarts when the source ignores the offset, and refuses oversize data', async (s) => {
    const data = Buffer.from('0123456789');
    const desc = { digest: digestOf(data), size: data.length };
    const w = await s.writer({ ref: 'r', desc });
    await w.write(Buffer.from('01234'));
    await w.close();
    await writeBlob(s, 'r', async () => ({ offset: 0, stream: chunked(data) }), desc);
    assert.deepEqual(await readBlob(s, desc), data);

    const small = { digest: digestOf('ab'), size: 2 };
    await assert.rejects(writeBlob(s, 'o', async (offset) => ({ offset, stream: chunked(Buffer.from('abc')) }), small), isKind('failed-precondition'));
    await assert.rejects(s.info(small.digest), isKind('not-found'));
  });

  withStore('concurrent writeBlob of one ref: the second waits and finds the blob', async (s) => {
    const data = randomBytes(256 * 1024);
    const desc = { digest: digestOf(data), size: data.length };
    let opened = 0;
    const src: BlobSource = async (offset) => {
      opened++;
      return { offset, stream: chunked(data.subarray(offset), 16 * 1024) };
    };
    await Promise.all([writeBlob(s, 'same', src, desc), writeBlob(s, 'same', src, desc)]);
    assert.equal(opened, 1);
    assert.equal((await s.info(desc.digest)).size, data.length);
  });
}
