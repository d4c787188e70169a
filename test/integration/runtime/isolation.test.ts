/** Each namespace isolates, and the process gets exactly the privileges the config gives it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { makeBundle, mountsUnder, cgroupDirs } from '../../helpers/runc.js';

function runIn(script: string, edit?: Parameters<typeof makeBundle>[0]) {
  const b = makeBundle((s) => {
    s.process!.args = ['sh', '-c', script];
    edit?.(s);
  });
  try {
    const r = b.runc(['run', 'iso']);
    return { ...r, bundleDir: b.dir, cgroupParent: b.cgroupParent };
  } finally {
    b.cleanup();
  }
}

test('pid, uts, mount and network namespaces isolate', () => {
  const r = runIn('echo pid=$$; hostname; ip -o link | wc -l; ip -o link; cat /proc/1/cmdline | tr "\\0" " "; echo; ls /');
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^pid=1$/m);
  assert.match(out, /^runc$/m, 'hostname from config.json');
  assert.notEqual(hostname(), 'runc');
  assert.match(out, /^1$/m, 'only one interface');
  assert.match(out, /lo: <LOOPBACK>/);
  assert.doesNotMatch(out, /eth|ens|veth/);
  assert.match(out, /^sh -c /m);
  assert.doesNotMatch(out, /^(home|usr|var|work)$/m, 'host root not visible');
  assert.equal(mountsUnder(r.bundleDir).length, 0, 'no mount left on the host');
  assert.deepEqual(cgroupDirs(r.cgroupParent).filter((d) => d.endsWith('/c')), []);
});

test('capabilities, no_new_privileges, rlimits, umask and user come from the config', () => {
  const r = runIn('grep -E "^(CapEff|CapBnd|CapPrm|NoNewPrivs)" /proc/self/status; ulimit -n; umask; id -u; id -g; id -G', (s) => {
    s.process!.user = { uid: 1000, gid: 1001, additionalGids: [2000, 2001] };
    s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 512, hard: 512 }];
    s.process!.capabilities = {
      bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_CHOWN'],
      effective: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      permitted: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      ambient: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      inheritable: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
    };
  });
  assert.equal(r.status, 0, r.stderr);
  // CAP_CHOWN=0, CAP_KILL=5, CAP_NET_BIND_SERVICE=10
  assert.match(r.stdout, /CapEff:\s+0000000000000420/);
  assert.match(r.stdout, /CapPrm:\s+0000000000000420/);
  assert.match(r.stdout, /CapBnd:\s+0000000000000421/);
  assert.match(r.stdout, /NoNewPrivs:\s+1/);
  assert.match(r.stdout, /^512$/m);
  assert.match(r.stdout, /^0022$/m);
  assert.match(r.stdout, /^1000\n1001\n1001 2000 2001$/m);
});

test('read-only rootfs, masked and read-only paths, sysctls', () => {
  const r = runIn(
    'touch /x 2>&1 || echo ro-root; wc -c < /proc/timer_list; ls /proc/acpi | wc -l; echo 1 > /proc/sys/kernel/domainname 2>&1 || echo ro-proc-sys; ' +
      'cat /proc/sys/net/ipv4/ip_forward; touch /tmp/ok && echo tmp-writable',
    (s) => {
      s.root!.readonly = true;
      s.mounts!.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] });
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Read-only file system/);
  assert.match(r.stdout, /^ro-root$/m);
  assert.match(r.stdout, /^0\n0$/m, '/proc/timer_list masked by /dev/null, /proc/acpi by an empty tmpfs');
  assert.match(r.stdout, /^ro-proc-sys$/m);
  assert.match(r.stdout, /^1$/m, 'sysctl applied in the container netns');
  assert.match(r.stdout, /^tmp-writable$/m);
});

test('a user namespace maps ids', () => {
  const r = runIn('id -u; cat /proc/self/uid_map; cat /proc/self/gid_map; stat -c %u /bin/busybox', (s) => {
    s.linux!.namespaces!.push({ type: 'user' });
    s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    s.mounts = s.mounts!.filter((m) => m.destination !== '/sys' && m.destination !== '/sys/fs/cgroup');
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^0$/m);
  assert.match(r.stdout, /^\s*0\s+100000\s+65536$/m);
  assert.match(r.stdout, /^65534$/m, 'host root files appear as the overflow uid');
});

test('a seccomp profile denies what it lists', () => {
  const r = runIn('mkdir /tmp/a 2>&1; echo rc=$?; echo still-running', (s) => {
    s.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    };
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Operation not permitted/);
  assert.match(r.stdout, /rc=1/);
  assert.match(r.stdout, /still-running/);
});
