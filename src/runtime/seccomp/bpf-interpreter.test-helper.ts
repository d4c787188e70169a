/**
 * Test helper: a classic-BPF interpreter for seccomp programs, written from the kernel's rules
 * (net/core/filter.c, seccomp_check_filter) rather than from our encoder, so tests judge the
 * compiled bytes the way the kernel would: forward jumps only, in-bounds, 32-bit loads from
 * `struct seccomp_data`, must end in a `ret`.
 */
import { Buffer } from 'node:buffer';
import { AUDIT_ARCH, SECCOMP_RET } from './index.js';

export interface SeccompData {
  nr: number;
  arch?: number;
  ip?: bigint;
  /** Up to 6 arguments; numbers are taken as u64 (negative as two's complement). */
  args?: readonly (number | bigint)[];
}

export function seccompData(d: SeccompData): Buffer {
  const buf = Buffer.alloc(64);
  buf.writeInt32LE(d.nr | 0, 0);
  buf.writeUInt32LE((d.arch ?? AUDIT_ARCH.X86_64) >>> 0, 4);
  buf.writeBigUInt64LE(d.ip ?? 0n, 8);
  (d.args ?? []).forEach((a, i) => buf.writeBigUInt64LE(BigInt.asUintN(64, BigInt(a)), 16 + 8 * i));
  return buf;
}

/** Runs the program and returns the 32-bit filter result; also counts executed instructions. */
export function runFilter(filter: Buffer, data: SeccompData): { ret: number; steps: number } {
  const mem = seccompData(data);
  const n = filter.length / 8;
  if (!Number.isInteger(n) || n === 0 || n > 4096) throw new Error(`bad program length ${filter.length}`);
  let a = 0;
  let pc = 0;
  let steps = 0;
  for (;;) {
    if (pc >= n) throw new Error('fell off the end of the program');
    const o = pc * 8;
    const code = filter.readUInt16LE(o);
    const jt = filter.readUInt8(o + 2);
    const jf = filter.readUInt8(o + 3);
    const k = filter.readUInt32LE(o + 4);
    steps++;
    pc++;
    switch (code) {
      case 0x20: // ld [k]
        if (k % 4 !== 0 || k + 4 > 64) throw new Error(`bad load offset ${k}`);
        a = mem.readUInt32LE(k);
        break;
      case 0x54: // and #k
        a = (a & k) >>> 0;
        break;
      case 0x05: // ja
        pc += k;
        break;
      case 0x15:
        pc += a === k ? jt : jf;
        break;
      case 0x25:
        pc += a > k ? jt : jf;
        break;
      case 0x35:
        pc += a >= k ? jt : jf;
        break;
      case 0x45:
        pc += (a & k) !== 0 ? jt : jf;
        break;
      case 0x06:
        return { ret: k, steps };
      default:
        throw new Error(`unsupported opcode 0x${code.toString(16)} at ${pc - 1}`);
    }
  }
}

/** Readable names for filter results, for assertion messages. */
export function describe(ret: number): string {
  const action = (ret & 0xffff0000) >>> 0;
  const data = ret & 0xffff;
  switch (action) {
    case SECCOMP_RET.ALLOW: return 'ALLOW';
    case SECCOMP_RET.LOG: return 'LOG';
    case SECCOMP_RET.KILL_PROCESS: return 'KILL_PROCESS';
    case SECCOMP_RET.KILL_THREAD: return 'KILL_THREAD';
    case SECCOMP_RET.TRAP: return 'TRAP';
    case SECCOMP_RET.ERRNO: return `ERRNO(${data})`;
    case SECCOMP_RET.TRACE: return `TRACE(${data})`;
    case SECCOMP_RET.USER_NOTIF: return 'NOTIFY';
    default: return `0x${ret.toString(16)}`;
  }
}

/** Shorthand: the described result of one call. */
export function judge(filter: Buffer, data: SeccompData): string {
  return describe(runFilter(filter, data).ret);
}
