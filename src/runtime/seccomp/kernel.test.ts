/**
 * The compiled bytes against the real kernel: a child `node` installs the filter with
 * prctl(PR_SET_NO_NEW_PRIVS) + seccomp(SECCOMP_SET_MODE_FILTER) through koffi, makes syscalls
 * and reports what the kernel returned; the parent asserts. The child runs from `-e`, so no
 * files are written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSeccomp } from './compile.js';
import type { SeccompProgram } from './compile.js';
import { dockerDefaultSeccompProfile, dockerProfileToOci } from '../../oci/seccomp-docker.js';
import { DOCKER_DEFAULT_CAPS } from './docker-profile.test-helper.js';

/** koffi as installed for this package; from the cwd too, for builds outside the tree. */
function resolveKoffi(): string {
  try {
    return createRequire(import.meta.url).resolve('koffi');
  } catch {
    return createRequire(join(process.cwd(), 'package.json')).resolve('koffi');
  }
}
const koffiUrl = pathToFileURL(resolveKoffi()).href;

// Runs in the child. argv: koffi URL, filter (base64), flags, then the calls to make as JSON:
// [[label, nr, ...args]] where args are [type, value] pairs; bigint values are given as strings.
const CHILD = `
const [koffiUrl, filterB64, flags, callsJson] = process.argv.slice(1);
const { default: koffi } = await import(koffiUrl);
const libc = koffi.load('libc.so.6');
const prctl = libc.func('int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)');
const syscall = libc.func('long syscall(long, ...)');
const SockFprog = koffi.struct('sock_fprog', { len: 'uint16_t', filter: 'void *' });
const filter = Buffer.from(filterB64, 'base64');
const out = { nnp: prctl(38, 1, 0, 0, 0) };
out.install = Number(syscall(317, 'unsigned int', 1, 'unsigned int', Number(flags), koffi.pointer(SockFprog), { len: filter.length / 8, filter }));
if (out.install !== 0) out.installErrno = koffi.errno();
for (const [label, nr, ...args] of JSON.parse(callsJson)) {
  const flat = args.flatMap(([t, v]) => [t, t === 'void *' ? (v === null ? null : Buffer.alloc(v)) : BigInt(v)]);
  koffi.errno(0);
  const ret = Number(syscall(nr, ...flat));
  out[label] = ret === -1 ? 'errno ' + koffi.errno() : 'ok';
}
// The process must keep working under the filter: files, timers, stdout.
out.status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8').match(/^Seccomp:\\s*(\\d)/m)?.[1];
await new Promise((r) => setTimeout(r, 10));
process.stdout.write(JSON.stringify(out));
`;

type Call = [label: string, nr: number, ...args: [type: string, value: string | number | null][]];

function runChild(p: SeccompProgram, calls: Call[]): { out: Record<string, unknown>; signal: NodeJS.Signals | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, koffiUrl, p.filter.toString('base64'), String(p.flags), JSON.stringify(calls)], {
    encoding: 'utf8', timeout: 60_000,
  });
  let out: Record<string, unknown> = {};
  if (r.stdout) out = JSON.parse(r.stdout) as Record<string, unknown>;
  return { out, signal: r.signal, stderr: r.stderr };
}

const L = (v: number | string): [string, string | number] => ['long', v];

test('the kernel accepts a compiled custom profile and applies actions and argument conditions', () => {
  const p = compileSeccomp({
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [
      { names: ['getppid'], action: 'SCMP_ACT_ERRNO', errnoRet: 99 },
      { names: ['uname'], action: 'SCMP_ACT_ERRNO', errnoRet: 77, args: [{ index: 0, op: 'SCMP_CMP_EQ', value: 0 }] },
      // Both conditions must hold; the offset is compared as a u64 (high word 2).
      { names: ['lseek'], action: 'SCMP_ACT_ERRNO', errnoRet: 55, args: [
        { index: 1, op: 'SCMP_CMP_GE', value: 2 ** 33 }, { index: 2, op: 'SCMP_CMP_EQ', value: 3 },
      ] },
    ],
  }, 'x64');
  const { out, stderr } = runChild(p, [
    ['getppid', 110],
    ['getpid', 39],
    ['unameNull', 63, ['void *', null]],
    ['unameBuf', 63, ['void *', 512]],
    ['lseekBoth', 8, L(999), L(String(2n ** 33n)), L(3)],
    ['lseekWhence', 8, L(999), L(String(2n ** 33n)), L(0)],
    ['lseekSmall', 8, L(999), L(String(2n ** 32n + 5n)), L(3)],
  ]);
  assert.equal(out['install'], 0, `seccomp() failed: ${JSON.stringify(out)} ${stderr}`);
  assert.deepEqual(out, {
    nnp: 0, install: 0, status: '2',
    getppid: 'errno 99', getpid: 'ok', unameNull: 'errno 77', unameBuf: 'ok',
    lseekBoth: 'errno 55', lseekWhence: 'errno 9', lseekSmall: 'errno 9', // EBADF from the kernel itself
  });
});

test('the kernel kills the process on SCMP_ACT_KILL_PROCESS', () => {
  const p = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['getppid'], action: 'SCMP_ACT_KILL_PROCESS' }] }, 'x64');
  const { out, signal } = runChild(p, [['getpid', 39], ['getppid', 110]]);
  assert.equal(signal, 'SIGSYS');
  assert.deepEqual(out, {});
});

test('Docker\'s default profile loads into the kernel; keyctl is refused and node keeps working', () => {
  const oci = dockerProfileToOci(dockerDefaultSeccompProfile(), { arch: 'x64', capabilities: DOCKER_DEFAULT_CAPS });
  assert.ok(oci);
  const p = compileSeccomp({ ...oci, flags: ['SECCOMP_FILTER_FLAG_TSYNC'] }, 'x64');
  assert.equal(p.flags, 1);
  const { out, stderr } = runChild(p, [
    ['keyctl', 250, L(0), L(0)],
    ['vsock', 41, L(40), L(1), L(0)],
    ['unshareUser', 272, L(0x10000000)],
    ['clone3', 435, L(0), L(0)],
    ['getpid', 39],
  ]);
  assert.deepEqual(out, {
    nnp: 0, install: 0, status: '2',
    keyctl: 'errno 1', vsock: 'errno 1', unshareUser: 'errno 1', clone3: 'errno 38', getpid: 'ok',
  }, stderr);
});
