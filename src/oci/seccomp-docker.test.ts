/** Docker profile → OCI conversion, checked against moby's setupSeccomp rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerDefaultSeccompProfile, dockerProfileToOci } from './seccomp-docker.js';
import type { DockerSeccompProfile } from './seccomp-docker.js';
import type { LinuxSeccomp } from './runtime-spec.js';
import { isEngineError } from '../common/errors.js';

const CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const invalid = (re: RegExp) => (e: unknown): boolean => isEngineError(e) && e.kind === 'invalid-argument' && re.test(e.message);

function convert(opts: { arch?: string; capabilities?: string[]; kernel?: string } = {}): LinuxSeccomp {
  const oci = dockerProfileToOci(dockerDefaultSeccompProfile(), { arch: 'x64', capabilities: CAPS, kernel: '6.8.0-45-generic', ...opts });
  assert.ok(oci);
  return oci;
}

const rulesFor = (oci: LinuxSeccomp, name: string) => (oci.syscalls ?? []).filter((s) => s.names.includes(name));

test('the embedded default profile is Docker\'s, and each call returns a fresh copy', () => {
  const a = dockerDefaultSeccompProfile();
  assert.equal(a.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(a.defaultErrnoRet, 1);
  assert.ok((a.syscalls ?? []).length >= 30);
  a.syscalls!.length = 0;
  assert.ok((dockerDefaultSeccompProfile().syscalls ?? []).length >= 30);
});

test('x86_64 with the default capabilities', () => {
  const oci = convert();
  assert.equal(oci.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(oci.defaultErrnoRet, 1);
  assert.deepEqual(oci.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  for (const s of oci.syscalls ?? []) {
    assert.deepEqual(Object.keys(s).filter((k) => !['names', 'action', 'errnoRet', 'args'].includes(k)), [], 'only OCI fields');
  }
  assert.ok(rulesFor(oci, 'read').length === 1);
  assert.ok(rulesFor(oci, 'arch_prctl').length === 1);
  assert.ok(rulesFor(oci, 'modify_ldt').length === 1);
  assert.ok(rulesFor(oci, 'chroot').length === 1); // CAP_SYS_CHROOT is in the default set
  assert.deepEqual(rulesFor(oci, 'ptrace').map((r) => r.action), ['SCMP_ACT_ALLOW']); // minKernel 4.8
  assert.deepEqual(rulesFor(oci, 'clone'), [{ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }] }]);
  assert.deepEqual(rulesFor(oci, 'clone3'), [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  for (const name of ['mount', 'unshare', 'keyctl', 's390_runtime_instr', 'cacheflush', 'riscv_flush_icache', 'open_by_handle_at', 'reboot']) {
    assert.deepEqual(rulesFor(oci, name), [], name);
  }
  assert.equal(rulesFor(oci, 'socket').length, 3);
});

test('CAP_SYS_ADMIN in Bounding includes the admin group and excludes the restricted clone rules', () => {
  const oci = convert({ capabilities: [...CAPS, 'CAP_SYS_ADMIN'] });
  assert.deepEqual(rulesFor(oci, 'clone').map((r) => r.args), [undefined]);
  assert.deepEqual(rulesFor(oci, 'clone3').map((r) => r.action), ['SCMP_ACT_ALLOW']);
  for (const name of ['mount', 'unshare', 'setns', 'bpf', 'umount2']) assert.equal(rulesFor(oci, name).length >= 1, true, name);
});

test('includes.caps needs every listed capability; excludes.caps drops on any', () => {
  const profile: DockerSeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['a'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_X', 'CAP_Y'] } },
      { names: ['b'], action: 'SCMP_ACT_ALLOW', excludes: { caps: ['CAP_Z', 'CAP_Y'] } },
      { name: 'c', action: 'SCMP_ACT_ALLOW' },
    ],
  };
  const names = (caps: string[]) => dockerProfileToOci(profile, { arch: 'x64', capabilities: caps, kernel: '6.1' })?.syscalls?.map((s) => s.names.join());
  assert.deepEqual(names(['CAP_X']), ['b', 'c']);
  assert.deepEqual(names(['CAP_X', 'CAP_Y']), ['a', 'c']);
});

test('aarch64 keeps its own archMap entry and arm-only rules', () => {
  const oci = convert({ arch: 'arm64' });
  assert.deepEqual(oci.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  assert.equal(rulesFor(oci, 'cacheflush').length, 1);
  assert.deepEqual(rulesFor(oci, 'arch_prctl'), []);
  assert.deepEqual(convert({ arch: 'amd64' }).architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
});

test('minKernel compares kernel.major of the host release', () => {
  assert.deepEqual(rulesFor(convert({ kernel: '4.7.10' }), 'ptrace'), []);
  assert.equal(rulesFor(convert({ kernel: '4.8-rc1' }), 'ptrace').length, 1);
  assert.equal(rulesFor(convert({ kernel: '5.0.0' }), 'ptrace').length, 1);
  assert.throws(() => convert({ kernel: 'unknown' }), invalid(/kernel version/));
  const bad: DockerSeccompProfile = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['x'], action: 'SCMP_ACT_ERRNO', includes: { minKernel: '4.8.1' } }] };
  assert.throws(() => dockerProfileToOci(bad, { capabilities: [], kernel: '6.1' }), invalid(/invalid kernel version/));
});

test('profile errors and the seccomp-disabled case, worded like moby', () => {
  assert.equal(dockerProfileToOci({ defaultAction: '' as never }, { capabilities: [] }), undefined);
  assert.throws(() => dockerProfileToOci({
    defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: [] }],
  }, { capabilities: [] }), invalid(/both 'architectures' and 'archMap'/));
  assert.throws(() => dockerProfileToOci({
    defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ name: 'a', names: ['b'], action: 'SCMP_ACT_ERRNO' }],
  }, { capabilities: [] }), invalid(/both 'name' and 'names'/));
  const plain = dockerProfileToOci({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], flags: ['SECCOMP_FILTER_FLAG_LOG'] }, { capabilities: [] });
  assert.deepEqual(plain, { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], flags: ['SECCOMP_FILTER_FLAG_LOG'] });
});
