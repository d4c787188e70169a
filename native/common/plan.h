/*
 * The plan: the compact, policy-free program that TypeScript computes and skiff-init executes.
 *
 * Wire format (little-endian): the magic "SKP1", then records until EOF:
 *   u16 op, u16 nargs, then nargs times { u32 len, len bytes }.
 * Integers travel as decimal strings, masks as hex-free decimal u64, byte blobs (a seccomp
 * program) as raw bytes. Three sections, separated by markers:
 *   parent ops   ... OP_CLONE(flags) ...   ops the parent runs once the child pid is known
 *   OP_CHILD     ... ops the child runs, in order, ending with OP_EXEC
 * The same op means the same thing wherever it appears; the section says who runs it.
 * src/runtime/plan/ops.ts mirrors these numbers; a unit test keeps them equal.
 */
#ifndef SKIFF_PLAN_H
#define SKIFF_PLAN_H

#define PLAN_MAGIC "SKP1"

enum plan_op {
	OP_SETNS = 1,            /* path, nstype: join a namespace */
	OP_UNSHARE = 2,          /* flags: unshare(2) */
	OP_CLONE = 3,            /* flags: marker; the parent clones the child here */
	OP_CHILD = 4,            /* marker: the child's ops follow */
	OP_CONSOLE_SOCKET = 5,   /* path: connect to a unix socket that will receive the pty master */
	OP_EXEC_FIFO = 6,        /* dir, name: the child blocks opening dir/name for writing (create/start) */
	OP_WRITE_FILE = 7,       /* path, content: write a file (sysctl, oom_score_adj, timens offsets) */

	OP_UID_MAP = 10,         /* content: parent writes /proc/<child>/uid_map */
	OP_GID_MAP = 11,         /* content: parent writes /proc/<child>/gid_map */
	OP_SETGROUPS = 12,       /* "allow"|"deny": parent writes /proc/<child>/setgroups */
	OP_CGROUP_JOIN = 13,     /* path: parent writes the child pid into a cgroup.procs file */
	OP_RELEASE_CHILD = 14,   /* (no args) parent lets the child run its ops now, before the rest of
	                            the post-clone ops; the child then waits at OP_AWAIT_PARENT */

	OP_SETHOSTNAME = 20,     /* name */
	OP_SETDOMAINNAME = 21,   /* name */
	OP_MOUNT = 22,           /* source, target, fstype, flags, data: plain mount(2) on an absolute path */
	OP_MOUNT_IN_ROOT = 23,   /* root, dest, source, fstype, flags, data, create: dest resolved inside root;
	                            create: 0 nothing, 1 mkdir -p, 2 mkdir -p parent + empty file */
	OP_MKNOD = 24,           /* root, path, mode, major, minor, uid, gid */
	OP_SYMLINK = 25,         /* root, target, linkpath */
	OP_PIVOT_ROOT = 26,      /* root */
	OP_CHROOT = 27,          /* root */
	OP_MASK_PATH = 28,       /* path: /dev/null over a file, read-only tmpfs over a dir */
	OP_READONLY_PATH = 29,   /* path: bind onto itself, remount read-only */
	OP_RLIMIT = 30,          /* resource, soft, hard ("inf" = RLIM_INFINITY) */
	OP_CHDIR = 31,           /* path */
	OP_UMASK = 32,           /* mask (decimal) */
	OP_CONSOLE = 33,         /* rows, cols: make a pty, send the master, make the slave our stdio */
	OP_NO_NEW_PRIVS = 34,    /* (no args) */
	OP_SECCOMP = 35,         /* flags, program bytes (struct sock_filter[]) */
	OP_CAPS_BOUNDING = 36,   /* mask: drop every capability not in mask from the bounding set */
	OP_USER = 37,            /* uid, gid, setgroups (0/1), additional gids... */
	OP_CAPS = 38,            /* effective, permitted, inheritable, ambient masks */
	OP_PERSONALITY = 39,     /* persona */
	OP_OOM_SCORE_ADJ = 40,   /* value */
	OP_PRESERVE_FDS = 41,    /* n: keep fds 3..3+n-1 open across exec */
	OP_SETSID = 42,          /* (no args) */
	OP_AWAIT_PARENT = 43,    /* (no args) wait until the parent finished its post-clone ops */
	OP_ARGS = 50,            /* argv... */
	OP_ENV = 51,             /* KEY=VALUE... */
	OP_CHECK_EXEC = 52,      /* resolve argv[0] against PATH; fail early like runc */
	OP_WAIT_START = 53,      /* report ready, block on the exec fifo until `start` */
	OP_EXEC = 54,            /* execve */
};

#endif
