/** Test helper: Docker's default profile resolved for x86_64, as dockerd would hand it to runc. */
import { dockerDefaultSeccompProfile, dockerProfileToOci } from '../../oci/seccomp-docker.js';
import type { LinuxSeccomp } from '../../oci/runtime-spec.js';

/** moby's DefaultCapabilities (daemon/pkg/oci/caps/defaults.go): the Bounding set of a container. */
export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export function dockerDefaultOci(caps: readonly string[] = DOCKER_DEFAULT_CAPS): LinuxSeccomp {
  const oci = dockerProfileToOci(dockerDefaultSeccompProfile(), { arch: 'x64', capabilities: caps, kernel: '6.8.0-45-generic' });
  if (!oci) throw new Error('default profile resolved to nothing');
  return oci;
}
