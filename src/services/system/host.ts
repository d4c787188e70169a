/**
 * Facts about the host for /info and /version, read once at start-up without blocking the event
 * loop: kernel release, distribution name (os-release), cgroup version, CPUs, memory, hostname.
 */
import { readFile, stat } from 'node:fs/promises';
import { arch, availableParallelism, hostname, release, totalmem } from 'node:os';

export interface HostFacts {
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  architecture: string;
  /** Go's GOARCH spelling, which /version reports (`amd64`, `arm64`). */
  goArch: string;
  ncpu: number;
  memTotal: number;
  hostname: string;
  cgroupVersion: '1' | '2';
}

const UNAME_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' };
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' };

function osReleaseField(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}=(.*)$`, 'm').exec(text);
  if (!m) return undefined;
  return m[1]!.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

export async function readHostFacts(): Promise<HostFacts> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => readFile('/usr/lib/os-release', 'utf8').catch(() => ''));
  // cgroup v2 mounts a unified hierarchy with cgroup.controllers at its root.
  const v2 = await stat('/sys/fs/cgroup/cgroup.controllers').then(() => true, () => false);
  return {
    kernelVersion: release(),
    operatingSystem: osReleaseField(osRelease, 'PRETTY_NAME') ?? 'Linux',
    osVersion: osReleaseField(osRelease, 'VERSION_ID') ?? '',
    architecture: UNAME_ARCH[arch()] ?? arch(),
    goArch: GO_ARCH[arch()] ?? arch(),
    ncpu: availableParallelism(),
    memTotal: totalmem(),
    hostname: hostname(),
    cgroupVersion: v2 ? '2' : '1',
  };
}
