/**
 * Op codes of the plan that skiff-init executes; mirrors native/common/plan.h (a unit test keeps
 * the two equal). The plan is a program: parent ops, OP_CLONE, post-clone parent ops, OP_CHILD,
 * then the child's ops in order.
 */
export const Op = {
  SETNS: 1,
  UNSHARE: 2,
  CLONE: 3,
  CHILD: 4,
  CONSOLE_SOCKET: 5,
  EXEC_FIFO: 6,
  WRITE_FILE: 7,
  UID_MAP: 10,
  GID_MAP: 11,
  SETGROUPS: 12,
  CGROUP_JOIN: 13,
  RELEASE_CHILD: 14,
  SETHOSTNAME: 20,
  SETDOMAINNAME: 21,
  MOUNT: 22,
  MOUNT_IN_ROOT: 23,
  MKNOD: 24,
  SYMLINK: 25,
  PIVOT_ROOT: 26,
  CHROOT: 27,
  MASK_PATH: 28,
  READONLY_PATH: 29,
  RLIMIT: 30,
  CHDIR: 31,
  UMASK: 32,
  CONSOLE: 33,
  NO_NEW_PRIVS: 34,
  SECCOMP: 35,
  CAPS_BOUNDING: 36,
  USER: 37,
  CAPS: 38,
  PERSONALITY: 39,
  OOM_SCORE_ADJ: 40,
  PRESERVE_FDS: 41,
  SETSID: 42,
  AWAIT_PARENT: 43,
  ARGS: 50,
  ENV: 51,
  CHECK_EXEC: 52,
  WAIT_START: 53,
  EXEC: 54,
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];

export type PlanArg = string | number | bigint | Uint8Array;

export interface PlanOp {
  op: OpCode;
  args: PlanArg[];
}

/** Namespace clone flags (linux/sched.h). */
export const CLONE = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
  NEWTIME: 0x00000080,
} as const;

/** How skiff-init creates a mount point inside the rootfs (OP_MOUNT_IN_ROOT's last arg). */
export const Create = { NONE: 0, DIR: 1, FILE: 2 } as const;
