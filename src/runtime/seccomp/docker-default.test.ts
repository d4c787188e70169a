/**
 * Docker's default profile, converted for x86_64 and Docker's default capabilities, compiled and
 * judged by the BPF interpreter on synthetic syscalls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSeccomp } from './compile.js';
import { AUDIT_ARCH, X32_SYSCALL_BIT } from './arch.js';
import { judge, runFilter } from './bpf-interpreter.test-helper.js';
import { decode } from './bpf.js';
import { DOCKER_DEFAULT_CAPS, dockerDefaultOci } from './docker-profile.test-helper.js';
import { dockerDefaultSeccompProfile, dockerProfileToOci } from '../../oci/seccomp-docker.js';
import { SYSCALLS_AARCH64 } from './syscalls-aarch64.js';
import { SYSCALLS_X86_64 } from './syscalls-x86_64.js';
import { SYSCALLS_X86 } from './syscalls-x86.js';

function dockerFilter(caps: readonly string[]): Buffer {
  return compileSeccomp(dockerDefaultOci(caps), 'x64').filter;
}

const nr = (name: string): number => {
  const n = SYSCALLS_X86_64.get(name);
  assert.ok(n !== undefined, name);
  return n;
};
const CLONE_NEWUSER = 0x10000000;
const SIGCHLD = 17;

test('Docker default profile on x86_64 with the default capabilities', () => {
  const f = dockerFilter(DOCKER_DEFAULT_CAPS);
  for (const name of ['read', 'write', 'execve', 'openat', 'mmap', 'exit_group', 'arch_prctl', 'chroot', 'futex']) {
    assert.equal(judge(f, { nr: nr(name) }), 'ALLOW', name);
  }
  for (const name of ['keyctl', 'add_key', 'kexec_load', 'mount', 'unshare', 'setns', 'bpf', 'userfaultfd', 'pivot_root', 'reboot', 'io_uring_setup']) {
    assert.equal(judge(f, { nr: nr(name) }), 'ERRNO(1)', name);
  }
  const socket = nr('socket');
  assert.equal(judge(f, { nr: socket, args: [2, 1, 0] }), 'ALLOW'); // AF_INET
  assert.equal(judge(f, { nr: socket, args: [1] }), 'ALLOW'); // AF_UNIX
  assert.equal(judge(f, { nr: socket, args: [39] }), 'ALLOW');
  assert.equal(judge(f, { nr: socket, args: [41] }), 'ALLOW');
  assert.equal(judge(f, { nr: socket, args: [40] }), 'ERRNO(1)'); // AF_VSOCK
  assert.equal(judge(f, { nr: socket, args: [38] }), 'ERRNO(1)'); // AF_ALG
  assert.equal(judge(f, { nr: socket, args: [2 ** 32 + 2] }), 'ALLOW'); // > 40 as a u64
  const clone = nr('clone');
  assert.equal(judge(f, { nr: clone, args: [SIGCHLD] }), 'ALLOW');
  assert.equal(judge(f, { nr: clone, args: [SIGCHLD | CLONE_NEWUSER] }), 'ERRNO(1)');
  assert.equal(judge(f, { nr: clone, args: [0x20000] }), 'ERRNO(1)'); // CLONE_NEWNS
  assert.equal(judge(f, { nr: nr('clone3') }), 'ERRNO(38)');
  const personality = nr('personality');
  for (const p of [0, 8, 0x20000, 0x20008, 0xffffffff]) assert.equal(judge(f, { nr: personality, args: [p] }), 'ALLOW');
  assert.equal(judge(f, { nr: personality, args: [1] }), 'ERRNO(1)');
  assert.equal(judge(f, { nr: nr('ptrace') }), 'ALLOW'); // minKernel 4.8
});

test('Docker default profile with CAP_SYS_ADMIN allows mount, unshare and any clone', () => {
  const f = dockerFilter([...DOCKER_DEFAULT_CAPS, 'CAP_SYS_ADMIN']);
  for (const name of ['mount', 'umount2', 'unshare', 'setns', 'clone3', 'sethostname']) {
    assert.equal(judge(f, { nr: nr(name) }), 'ALLOW', name);
  }
  assert.equal(judge(f, { nr: nr('clone'), args: [CLONE_NEWUSER] }), 'ALLOW');
  assert.equal(judge(f, { nr: nr('keyctl') }), 'ERRNO(1)');
});

test('Docker default profile judges i386 and x32 syscalls by their own tables, kills foreign arches', () => {
  const f = dockerFilter(DOCKER_DEFAULT_CAPS);
  const i386 = (name: string): number => SYSCALLS_X86.get(name)!;
  assert.equal(judge(f, { nr: i386('socketcall'), arch: AUDIT_ARCH.I386 }), 'ALLOW');
  assert.equal(judge(f, { nr: i386('read'), arch: AUDIT_ARCH.I386 }), 'ALLOW');
  assert.equal(judge(f, { nr: i386('keyctl'), arch: AUDIT_ARCH.I386 }), 'ERRNO(1)');
  // Rules are resolved for the native arch (amd64 here) and then apply to every arch of the
  // filter, as with libseccomp: modify_ldt is allowed for i386 processes too.
  assert.equal(judge(f, { nr: i386('modify_ldt'), arch: AUDIT_ARCH.I386 }), 'ALLOW');
  assert.equal(judge(f, { nr: 0, arch: AUDIT_ARCH.I386 }), 'ALLOW'); // i386 restart_syscall
  // x86_64 number 250 (keyctl) is i386 `fadvise64` (allowed): the tables must not be mixed up.
  assert.equal(judge(f, { nr: 250, arch: AUDIT_ARCH.I386 }), 'ALLOW');
  assert.equal(judge(f, { nr: X32_SYSCALL_BIT + 0 }), 'ALLOW'); // x32 read (profile lists SCMP_ARCH_X32)
  assert.equal(judge(f, { nr: X32_SYSCALL_BIT + 250 }), 'ERRNO(1)'); // x32 keyctl
  assert.equal(judge(f, { nr: 63, arch: AUDIT_ARCH.AARCH64 }), 'KILL_PROCESS');
  assert.equal(judge(f, { nr: 0, arch: 0 }), 'KILL_PROCESS');
});

test('Docker default profile compiles to a small program with a shallow dispatch', () => {
  const f = dockerFilter(DOCKER_DEFAULT_CAPS);
  const prog = decode(f);
  assert.ok(prog.length < 1000, `program has ${prog.length} instructions`);
  // Syscalls without argument rules: arch check + binary search over intervals.
  const withArgs = new Set(['personality', 'clone', 'socket'].map(nr));
  let worst = 0;
  let worstArgs = 0;
  for (let n = 0; n < 460; n++) {
    const steps = runFilter(f, { nr: n, args: [2] }).steps;
    if (withArgs.has(n)) worstArgs = Math.max(worstArgs, steps);
    else worst = Math.max(worst, steps);
  }
  assert.ok(worst <= 14, `worst plain path ${worst} instructions`);
  assert.ok(worstArgs <= 40, `worst path with argument rules ${worstArgs} instructions`);
});

test('Docker default profile on aarch64 uses the generic table; 32-bit arm (no table here) is killed', () => {
  const oci = dockerProfileToOci(dockerDefaultSeccompProfile(), { arch: 'arm64', capabilities: DOCKER_DEFAULT_CAPS, kernel: '6.8' });
  assert.ok(oci);
  const f = compileSeccomp(oci, 'arm64').filter;
  const a64 = (name: string): number => SYSCALLS_AARCH64.get(name)!;
  for (const name of ['openat', 'read', 'write', 'execve', 'clone', 'renameat']) {
    assert.equal(judge(f, { nr: a64(name), arch: AUDIT_ARCH.AARCH64, args: [0x11] }), 'ALLOW', name);
  }
  assert.equal(judge(f, { nr: a64('keyctl'), arch: AUDIT_ARCH.AARCH64 }), 'ERRNO(1)');
  assert.equal(judge(f, { nr: a64('socket'), arch: AUDIT_ARCH.AARCH64, args: [40] }), 'ERRNO(1)');
  assert.equal(judge(f, { nr: a64('clone3'), arch: AUDIT_ARCH.AARCH64 }), 'ERRNO(38)');
  assert.equal(judge(f, { nr: 3, arch: AUDIT_ARCH.ARM }), 'KILL_PROCESS');
  assert.equal(judge(f, { nr: 0, arch: AUDIT_ARCH.X86_64 }), 'KILL_PROCESS');
});
