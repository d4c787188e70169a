/** The shim frame codec: encoding, streaming decode across chunk boundaries, bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../common/paths.js';
import { FrameDecoder, Msg, Flag, PROTO_VERSION, decodeFields, encodeFrame, fieldBigInt, fieldInt, fieldStr } from './protocol.js';

test('a frame is u32 len, u8 type, then u32-length-prefixed fields', () => {
  const f = encodeFrame(Msg.KILL, ['', 9]);
  assert.deepEqual([...f], [
    10, 0, 0, 0, // len = 1 + (4 + 0) + (4 + 1)
    Msg.KILL,
    0, 0, 0, 0,
    1, 0, 0, 0, 0x39,
  ]);
  assert.deepEqual([...encodeFrame(Msg.STATE)], [1, 0, 0, 0, Msg.STATE]);
});

test('fields round-trip: strings, numbers, bigints, raw bytes', () => {
  const raw = Buffer.from([0, 1, 2, 255]);
  const frame = encodeFrame(Msg.EXEC, ['exé', 42, -7, 1_700_000_000_123_456_789n, raw]);
  const [decoded] = new FrameDecoder().push(frame);
  assert.equal(decoded!.type, Msg.EXEC);
  assert.equal(fieldStr(decoded!.fields, 0), 'exé');
  assert.equal(fieldInt(decoded!.fields, 1), 42);
  assert.equal(fieldInt(decoded!.fields, 2), -7);
  assert.equal(fieldBigInt(decoded!.fields, 3), 1_700_000_000_123_456_789n);
  assert.deepEqual(decoded!.fields[4], raw);
  assert.throws(() => fieldInt(decoded!.fields, 0), /not a number/);
  assert.throws(() => fieldStr(decoded!.fields, 9), /missing field 9/);
});

test('the decoder reassembles frames split anywhere and splits coalesced ones', () => {
  const stream = Buffer.concat([
    encodeFrame(Msg.STDOUT, [Buffer.from('hello\n')]),
    encodeFrame(Msg.STDERR, [Buffer.alloc(70_000, 0x61)]),
    encodeFrame(Msg.EXIT, [0, 0, '123']),
  ]);
  for (const step of [1, 3, 7, 4096, stream.length]) {
    const d = new FrameDecoder();
    const frames = [];
    for (let off = 0; off < stream.length; off += step) frames.push(...d.push(stream.subarray(off, off + step)));
    assert.deepEqual(frames.map((f) => f.type), [Msg.STDOUT, Msg.STDERR, Msg.EXIT], `step ${step}`);
    assert.equal(frames[1]!.fields[0]!.length, 70_000);
  }
});

test('malformed input is rejected, not trusted', () => {
  const bad = Buffer.alloc(5);
  bad.writeUInt32LE(0, 0);
  assert.throws(() => new FrameDecoder().push(bad), /bad frame length 0/);
  const huge = Buffer.alloc(5);
  huge.writeUInt32LE(0xffffffff, 0);
  assert.throws(() => new FrameDecoder().push(huge), /bad frame length/);
  const field = Buffer.alloc(4);
  field.writeUInt32LE(10, 0);
  assert.throws(() => decodeFields(field), /longer than its frame/);
  assert.throws(() => decodeFields(Buffer.from([1, 0])), /truncated/);
});

test('message numbers and flags equal native/shim/shim.h', () => {
  let header: string;
  try {
    header = readFileSync(join(packageRoot(), 'native/shim/shim.h'), 'utf8');
  } catch {
    return; // an installed package without the C sources
  }
  const num = (name: string) => Number(new RegExp(`\\b${name}\\s*=?\\s*(\\d+)`).exec(header)?.[1]);
  for (const [k, v] of Object.entries(Msg)) assert.equal(num(`MSG_${k}`), v, `MSG_${k}`);
  for (const [k, v] of Object.entries(Flag)) assert.equal(num(k), v, k);
  assert.equal(num('PROTO_VERSION'), PROTO_VERSION);
});
