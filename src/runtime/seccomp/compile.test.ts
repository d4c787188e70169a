/** Compiler semantics on small profiles: actions, rule order, arches, x32, validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSeccomp } from './compile.js';
import { AUDIT_ARCH, X32_SYSCALL_BIT } from './arch.js';
import { judge } from './bpf-interpreter.test-helper.js';
import { isEngineError } from '../../common/errors.js';
import type { LinuxSeccomp } from '../../oci/runtime-spec.js';
import { SYSCALLS_X86_64 } from './syscalls-x86_64.js';
import { SYSCALLS_X86 } from './syscalls-x86.js';
import { SYSCALLS_X32 } from './syscalls-x32.js';
import { SYSCALLS_AARCH64 } from './syscalls-aarch64.js';

const nr = (name: string): number => SYSCALLS_X86_64.get(name)!;
const invalid = (re: RegExp) => (e: unknown): boolean => isEngineError(e) && e.kind === 'invalid-argument' && re.test(e.message);

test('generated tables know the usual syscalls', () => {
  assert.equal(SYSCALLS_X86_64.get('read'), 0);
  assert.equal(SYSCALLS_X86_64.get('keyctl'), 250);
  assert.equal(SYSCALLS_X86.get('read'), 3);
  assert.equal(SYSCALLS_X86.get('socketcall'), 102);
  assert.equal(SYSCALLS_X32.get('read'), X32_SYSCALL_BIT);
  assert.equal(SYSCALLS_AARCH64.get('openat'), 56);
  assert.equal(SYSCALLS_AARCH64.get('open'), undefined);
});

test('every action maps to its kernel return value', () => {
  const cases: [LinuxSeccomp['defaultAction'], number | undefined, string][] = [
    ['SCMP_ACT_KILL', undefined, 'KILL_THREAD'],
    ['SCMP_ACT_KILL_THREAD', undefined, 'KILL_THREAD'],
    ['SCMP_ACT_KILL_PROCESS', undefined, 'KILL_PROCESS'],
    ['SCMP_ACT_TRAP', undefined, 'TRAP'],
    ['SCMP_ACT_ERRNO', undefined, 'ERRNO(1)'],
    ['SCMP_ACT_ERRNO', 13, 'ERRNO(13)'],
    ['SCMP_ACT_TRACE', 5, 'TRACE(5)'],
    ['SCMP_ACT_TRACE', undefined, 'TRACE(1)'],
    ['SCMP_ACT_LOG', undefined, 'LOG'],
  ];
  for (const [action, errnoRet, want] of cases) {
    const { filter } = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['getppid'], action, errnoRet }] }, 'x64');
    assert.equal(judge(filter, { nr: nr('getppid') }), want, action);
    assert.equal(judge(filter, { nr: nr('getpid') }), 'ALLOW');
  }
});

test('defaultErrnoRet sets the default action\'s errno; rules without errnoRet use EPERM, as in runc', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38,
    syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }, { names: ['getppid'], action: 'SCMP_ACT_ERRNO' }],
  }, 'x64');
  assert.equal(judge(filter, { nr: nr('write') }), 'ERRNO(38)');
  assert.equal(judge(filter, { nr: nr('getppid') }), 'ERRNO(1)');
  assert.equal(judge(filter, { nr: nr('read') }), 'ALLOW');
});

test('rules of one syscall are tried in order; conditions of one rule are ANDed', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['lseek'], action: 'SCMP_ACT_ERRNO', errnoRet: 10, args: [{ index: 0, op: 'SCMP_CMP_EQ', value: 3 }, { index: 2, op: 'SCMP_CMP_EQ', value: 1 }] },
      { names: ['lseek'], action: 'SCMP_ACT_ERRNO', errnoRet: 20, args: [{ index: 0, op: 'SCMP_CMP_EQ', value: 3 }] },
      { names: ['lseek'], action: 'SCMP_ACT_ALLOW', args: [{ index: 1, op: 'SCMP_CMP_GT', value: 2 ** 40 }] },
    ],
  }, 'x64');
  const lseek = nr('lseek');
  assert.equal(judge(filter, { nr: lseek, args: [3, 0, 1] }), 'ERRNO(10)');
  assert.equal(judge(filter, { nr: lseek, args: [3, 2 ** 41, 0] }), 'ERRNO(20)');
  assert.equal(judge(filter, { nr: lseek, args: [4, 2 ** 41, 1] }), 'ALLOW');
  assert.equal(judge(filter, { nr: lseek, args: [4, 2 ** 40, 1] }), 'ERRNO(1)');
});

test('several conditions on the same argument become alternatives (runc\'s compatibility rule)', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [{ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [
      { index: 0, op: 'SCMP_CMP_EQ', value: 0 }, { index: 0, op: 'SCMP_CMP_EQ', value: 8 },
    ] }],
  }, 'x64');
  const p = nr('personality');
  assert.equal(judge(filter, { nr: p, args: [0] }), 'ALLOW');
  assert.equal(judge(filter, { nr: p, args: [8] }), 'ALLOW');
  assert.equal(judge(filter, { nr: p, args: [9] }), 'ERRNO(1)');
});

test('a rule with the default action is dropped, as runc does', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['uname'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, op: 'SCMP_CMP_EQ', value: 0 }] },
      { names: ['uname'], action: 'SCMP_ACT_ALLOW' },
    ],
  }, 'x64');
  assert.equal(judge(filter, { nr: nr('uname'), args: [0] }), 'ALLOW');
});

test('unknown syscall names are skipped, not an error', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [{ names: ['no_such_syscall', 'read', 'socketcall', 'uname'], action: 'SCMP_ACT_ALLOW' }],
  }, 'x64');
  assert.equal(judge(filter, { nr: 0 }), 'ALLOW');
  assert.equal(judge(filter, { nr: 1 }), 'ERRNO(1)');
});

test('other arches are killed; listed arches use their own table', () => {
  const spec: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86'],
    syscalls: [{ names: ['read', 'socketcall'], action: 'SCMP_ACT_ALLOW' }],
  };
  const { filter } = compileSeccomp(spec, 'x64');
  assert.equal(judge(filter, { nr: 0 }), 'ALLOW'); // x86_64 read
  assert.equal(judge(filter, { nr: 3, arch: AUDIT_ARCH.I386 }), 'ALLOW'); // i386 read
  assert.equal(judge(filter, { nr: 102, arch: AUDIT_ARCH.I386 }), 'ALLOW'); // i386 socketcall
  assert.equal(judge(filter, { nr: 0, arch: AUDIT_ARCH.I386 }), 'ERRNO(1)'); // i386 restart_syscall
  assert.equal(judge(filter, { nr: 63, arch: AUDIT_ARCH.AARCH64 }), 'KILL_PROCESS');
  assert.equal(judge(filter, { nr: 0, arch: AUDIT_ARCH.ARM }), 'KILL_PROCESS');
  // Native aarch64: its own table, x86_64 is foreign.
  const arm = compileSeccomp({ ...spec, architectures: [] }, 'arm64').filter;
  assert.equal(judge(arm, { nr: 63, arch: AUDIT_ARCH.AARCH64 }), 'ALLOW');
  assert.equal(judge(arm, { nr: 0, arch: AUDIT_ARCH.AARCH64 }), 'ERRNO(1)');
  assert.equal(judge(arm, { nr: 0, arch: AUDIT_ARCH.X86_64 }), 'KILL_PROCESS');
});

test('x32 syscalls take the default action unless SCMP_ARCH_X32 is listed', () => {
  const base: LinuxSeccomp = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [
    { names: ['read'], action: 'SCMP_ACT_ALLOW' }, { names: ['uname'], action: 'SCMP_ACT_ERRNO', errnoRet: 5 },
  ] };
  const without = compileSeccomp(base, 'x64').filter;
  assert.equal(judge(without, { nr: X32_SYSCALL_BIT }), 'ERRNO(1)');
  assert.equal(judge(without, { nr: X32_SYSCALL_BIT + 1 }), 'ERRNO(1)');
  const withX32 = compileSeccomp({ ...base, architectures: ['SCMP_ARCH_X32'] }, 'x64').filter;
  assert.equal(judge(withX32, { nr: X32_SYSCALL_BIT }), 'ALLOW'); // x32 read
  assert.equal(judge(withX32, { nr: X32_SYSCALL_BIT + 1 }), 'ERRNO(1)');
  assert.equal(judge(withX32, { nr: X32_SYSCALL_BIT + 63 }), 'ERRNO(5)'); // x32 uname
  assert.equal(judge(withX32, { nr: 0 }), 'ALLOW');
});

test('syscall numbers above the newest one the profile names get ENOSYS, unless the default allows', () => {
  const spec: LinuxSeccomp = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'clone3'], action: 'SCMP_ACT_ALLOW' }] };
  const { filter } = compileSeccomp(spec, 'x64');
  assert.equal(judge(filter, { nr: nr('clone3') - 1 }), 'ERRNO(1)');
  assert.equal(judge(filter, { nr: nr('clone3') + 1 }), 'ERRNO(38)');
  assert.equal(judge(filter, { nr: 0x3fffffff }), 'ERRNO(38)');
  assert.equal(judge(filter, { nr: -1 }), 'ERRNO(1)'); // bit 30 set: the x32 range, default action
  const allow = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO' }] }, 'x64').filter;
  assert.equal(judge(allow, { nr: 1000 }), 'ALLOW');
});

test('flags map to their numbers; notify, unknown actions, operators and arches are invalid arguments', () => {
  assert.equal(compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', flags: [
    'SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
  ] }, 'x64').flags, 1 | 2 | 4); // WAIT_KILLABLE_RECV needs a notify listener: accepted, not passed on
  assert.equal(compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'] }, 'x64').flags, 4);
  assert.equal(compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW' }, 'x64').flags, 0);
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_BOGUS'] }, 'x64'), invalid(/unknown flag/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] }, 'x64'),
    invalid(/SCMP_ACT_NOTIFY.*mkdir/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_NOTIFY' }, 'x64'), invalid(/NOTIFY.*default action/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_BOGUS' as never }, 'x64'), invalid(/unknown action/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, op: 'SCMP_CMP_LIKE' as never, value: 1 }] }] }, 'x64'),
    invalid(/unknown operator.*read/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 6, op: 'SCMP_CMP_EQ', value: 1 }] }] }, 'x64'),
    invalid(/index 6/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_VAX'] }, 'x64'), invalid(/unknown architecture/));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 70000 }, 'x64'), invalid(/errnoRet/));
});

test('arches without a syscall table are accepted and left to the bad-arch action', () => {
  const { filter } = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_ARM', 'SCMP_ARCH_MIPS'] }, 'x64');
  assert.equal(judge(filter, { nr: 1, arch: AUDIT_ARCH.ARM }), 'KILL_PROCESS');
  assert.equal(judge(filter, { nr: 1 }), 'ALLOW');
});
