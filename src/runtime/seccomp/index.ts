/**
 * The seccomp compiler: OCI `linux.seccomp` → classic-BPF bytes + flags for the executor, which
 * installs them with seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog). No libseccomp involved.
 */
export { compileSeccomp } from './compile.js';
export type { SeccompProgram } from './compile.js';
export { AUDIT_ARCH, X32_SYSCALL_BIT, archInfo, ociArchFromNode } from './arch.js';
export type { ArchInfo } from './arch.js';
export { SECCOMP_RET, SECCOMP_FILTER_FLAG, filterFlags } from './actions.js';
export { BPF_MAXINSNS, decode } from './bpf.js';
export type { Instruction } from './bpf.js';
