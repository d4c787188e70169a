/**
 * bpf(2), the commands a cgroup v2 device controller needs: load a BPF_PROG_TYPE_CGROUP_DEVICE
 * program, attach it to a cgroup, list and detach the programs already there. One function per
 * command. `union bpf_attr` is built by hand in a zeroed buffer (the kernel rejects non-zero
 * bytes past the fields a command uses); pointer fields carry buffer addresses from koffi, and
 * the buffers stay referenced for the duration of the call.
 */
import { arch } from 'node:os';
import koffi from 'koffi';
import { check, lazyFunc } from './libc.js';

const SYS_BPF: Record<string, number> = { x64: 321, arm64: 280, ia32: 357, arm: 386, riscv64: 280, ppc64: 361, s390x: 351 };

const BPF_CMD = { PROG_LOAD: 5, PROG_ATTACH: 8, PROG_DETACH: 9, PROG_GET_FD_BY_ID: 13, PROG_QUERY: 16 } as const;

export const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
export const BPF_CGROUP_DEVICE = 6;
/** Attach flags: several programs per cgroup, all must allow (what runc and systemd use). */
export const BPF_F_ALLOW_MULTI = 2;

/** The size of `union bpf_attr` we pass; the kernel accepts any size up to its own. */
const ATTR_SIZE = 128;

const syscallFn = lazyFunc('long syscall(long nr, int cmd, void *attr, uint32_t size)');

function bpf(cmd: number, attr: Buffer, what: string): number {
  const nr = SYS_BPF[arch()];
  if (nr === undefined) throw new Error(`bpf(2): unsupported architecture ${arch()}`);
  return check(syscallFn()(nr, cmd, attr, ATTR_SIZE), `bpf(${what})`);
}

let sink = 0;
function keepAlive(...buffers: Buffer[]): void {
  for (const b of buffers) sink ^= b.length;
}

/**
 * BPF_PROG_LOAD of a cgroup device program. `insns` holds 8-byte eBPF instructions. On a
 * verifier rejection, the thrown error's message includes the verifier log.
 */
export function bpfProgLoadCgroupDevice(insns: Buffer, license = 'Apache'): number {
  const licenseBuf = Buffer.from(`${license}\0`);
  const log = Buffer.alloc(64 * 1024);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(BPF_PROG_TYPE_CGROUP_DEVICE, 0);
  attr.writeUInt32LE(insns.length / 8, 4);
  attr.writeBigUInt64LE(koffi.address(insns), 8);
  attr.writeBigUInt64LE(koffi.address(licenseBuf), 16);
  attr.writeUInt32LE(1, 24); // log_level
  attr.writeUInt32LE(log.length, 28);
  attr.writeBigUInt64LE(koffi.address(log), 32);
  try {
    return bpf(BPF_CMD.PROG_LOAD, attr, 'BPF_PROG_LOAD');
  } catch (e) {
    const text = log.toString('utf8', 0, Math.max(0, log.indexOf(0))).trim();
    if (text !== '' && e instanceof Error) e.message += `; verifier: ${text.slice(-500)}`;
    throw e;
  } finally {
    // The attr holds only raw addresses: touch the buffers after the call so that nothing can
    // consider them dead (and collect them) while the kernel reads them.
    keepAlive(insns, licenseBuf, log);
  }
}

/** BPF_PROG_ATTACH: `targetFd` is an open cgroup directory. */
export function bpfProgAttach(targetFd: number, progFd: number, attachType: number, flags: number): void {
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(targetFd, 0);
  attr.writeUInt32LE(progFd, 4);
  attr.writeUInt32LE(attachType, 8);
  attr.writeUInt32LE(flags, 12);
  bpf(BPF_CMD.PROG_ATTACH, attr, 'BPF_PROG_ATTACH');
}

/** BPF_PROG_DETACH of one program (needed when several are attached with ALLOW_MULTI). */
export function bpfProgDetach(targetFd: number, progFd: number, attachType: number): void {
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(targetFd, 0);
  attr.writeUInt32LE(progFd, 4);
  attr.writeUInt32LE(attachType, 8);
  bpf(BPF_CMD.PROG_DETACH, attr, 'BPF_PROG_DETACH');
}

/** BPF_PROG_QUERY: ids of the programs attached directly to the cgroup for `attachType`. */
export function bpfProgQuery(targetFd: number, attachType: number, max = 64): number[] {
  const ids = Buffer.alloc(4 * max);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(targetFd, 0);
  attr.writeUInt32LE(attachType, 4);
  attr.writeBigUInt64LE(koffi.address(ids), 16);
  attr.writeUInt32LE(max, 24);
  bpf(BPF_CMD.PROG_QUERY, attr, 'BPF_PROG_QUERY');
  keepAlive(ids);
  const count = attr.readUInt32LE(24);
  return Array.from({ length: Math.min(count, max) }, (_, i) => ids.readUInt32LE(4 * i));
}

/** BPF_PROG_GET_FD_BY_ID: a new fd for a loaded program. */
export function bpfProgGetFdById(id: number): number {
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(id, 0);
  return bpf(BPF_CMD.PROG_GET_FD_BY_ID, attr, 'BPF_PROG_GET_FD_BY_ID');
}
