/**
 * What `skiff-runc features` prints: the runtime-spec "features" document (features.md) telling
 * callers such as containerd which config.json fields and values this runtime understands.
 *
 * It describes the runtime as built, not the host: a namespace listed here may still be missing
 * from the running kernel, and creating the container then fails.
 */
import { ALL_CAPABILITIES } from '../runtime/capabilities.js';
import { knownMountOptions } from '../runtime/mount-options.js';

/** Namespace types, sorted, as runc lists them. */
const NAMESPACES = ['cgroup', 'ipc', 'mount', 'network', 'pid', 'time', 'user', 'uts'];

/** Every hook point; "prestart" is deprecated by the spec but still run. */
const HOOKS = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'];

/**
 * Seccomp as our filter compiler (src/runtime/seccomp) implements it: SCMP_ACT_NOTIFY needs a
 * listener fd handed to an agent, which the executor does not have, so it is left out.
 */
const SECCOMP_ACTIONS = [
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_LOG',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_TRAP',
];
const SECCOMP_OPERATORS = [
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_LE',
  'SCMP_CMP_LT',
  'SCMP_CMP_MASKED_EQ',
  'SCMP_CMP_NE',
];
/** The architectures we carry syscall tables for. */
const SECCOMP_ARCHS = ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_X32', 'SCMP_ARCH_X86', 'SCMP_ARCH_X86_64'];
const SECCOMP_KNOWN_FLAGS = [
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
];
/** WAIT_KILLABLE_RECV only matters with a notify listener, which we do not offer. */
const SECCOMP_SUPPORTED_FLAGS = SECCOMP_KNOWN_FLAGS.filter((f) => f !== 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV');

export function runtimeFeatures(): object {
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: '1.3.0',
    hooks: [...HOOKS],
    mountOptions: knownMountOptions(),
    linux: {
      namespaces: [...NAMESPACES],
      capabilities: [...ALL_CAPABILITIES],
      cgroup: { v1: true, v2: true, systemd: false, systemdUser: false, rdma: false },
      seccomp: {
        enabled: true,
        actions: [...SECCOMP_ACTIONS],
        operators: [...SECCOMP_OPERATORS],
        archs: [...SECCOMP_ARCHS],
        knownFlags: [...SECCOMP_KNOWN_FLAGS],
        supportedFlags: [...SECCOMP_SUPPORTED_FLAGS],
      },
      apparmor: { enabled: false },
      selinux: { enabled: false },
      intelRdt: { enabled: false },
      mountExtensions: { idmap: { enabled: true } },
      netDevices: { enabled: false },
    },
    // Annotations that change how the runtime treats a container, so orchestrators should not
    // let untrusted users set them.
    potentiallyUnsafeConfigAnnotations: ['bundle'],
  };
}
