/* The child's side of the plan: each op is one step of building the container, run in order. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "init.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int set_rlimit(const struct op *op)
{
	struct rlimit rl;
	const char *soft = arg_str(op, 1), *hard = arg_str(op, 2);
	rl.rlim_cur = strcmp(soft, "inf") ? (rlim_t)strtoull(soft, NULL, 10) : RLIM_INFINITY;
	rl.rlim_max = strcmp(hard, "inf") ? (rlim_t)strtoull(hard, NULL, 10) : RLIM_INFINITY;
	if (setrlimit((int)arg_int(op, 0), &rl) < 0)
		return fail(errno, "rlimit", "setrlimit(%lld, %s, %s)", (long long)arg_int(op, 0), soft, hard);
	return 0;
}

static char **strv(const struct op *op)
{
	char **v = calloc((size_t)op->nargs + 1, sizeof(char *));
	if (!v)
		return NULL;
	for (uint16_t i = 0; i < op->nargs; i++)
		v[i] = op->args[i].data;
	return v;
}

/* The child no longer needs to die with skiff-init once the container exists on its own. */
static int clear_pdeathsig(void)
{
	if (prctl(PR_SET_PDEATHSIG, 0) < 0)
		return fail(errno, "prctl", "PR_SET_PDEATHSIG");
	return 0;
}

static int wait_start(struct child_ctx *ctx)
{
	struct sync_msg msg = { .type = SYNC_READY };
	int fd;
	char c = '0';

	if (ctx->fifo_dirfd < 0)
		return fail(EINVAL, "wait for start", "no exec fifo in the plan");
	if (clear_pdeathsig() < 0)
		return -1;
	if (write_all(ctx->sync_fd, &msg, sizeof(msg)) < 0)
		return fail(errno, "sync", "reporting ready");
	close(ctx->sync_fd);
	ctx->sync_fd = -1;
	/* Blocks until `start` opens the fifo for reading. */
	do
		fd = openat(ctx->fifo_dirfd, ctx->fifo_name, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		_exit(127);
	if (write(fd, &c, 1) != 1)
		_exit(127);
	close(fd);
	close(ctx->fifo_dirfd);
	ctx->fifo_dirfd = -1;
	return 0;
}

static int do_exec(struct child_ctx *ctx)
{
	unsigned int first = 3 + (unsigned int)ctx->preserve_fds;
	if (!ctx->argv || !ctx->argv[0])
		return fail(EINVAL, "exec", "no process args");
	if (!ctx->exec_path[0] && check_exec(ctx) < 0)
		return -1;
	/* Nothing of ours may leak into the container; sync_fd is close-on-exec so that
	 * the parent sees EOF when exec succeeds. */
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return fail(errno, "exec", "close_range");
	if (ctx->sync_fd >= 0 && clear_pdeathsig() < 0)
		return -1;
	execve(ctx->exec_path, ctx->argv, ctx->envp ? ctx->envp : (char *[]){ NULL });
	return fail(errno, "exec", "exec: \"%s\": %s", ctx->argv[0], strerror(errno));
}

int run_child_op(struct child_ctx *ctx, const struct op *op)
{
	switch (op->code) {
	case OP_SETNS: {
		int fd = open(arg_str(op, 0), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail(errno, "join namespace", "open %s", arg_str(op, 0));
		if (setns(fd, (int)arg_int(op, 1)) < 0) {
			int e = errno;
			close(fd);
			return fail(e, "join namespace", "setns %s", arg_str(op, 0));
		}
		close(fd);
		return 0;
	}
	case OP_UNSHARE:
		if (unshare((int)arg_int(op, 0)) < 0)
			return fail(errno, "unshare", "unshare(0x%llx)", (unsigned long long)arg_int(op, 0));
		return 0;
	case OP_WRITE_FILE:
		return write_file(arg_str(op, 0), arg_str(op, 1), op->args[1].len);
	case OP_SETHOSTNAME:
		if (sethostname(arg_str(op, 0), op->args[0].len) < 0)
			return fail(errno, "hostname", "sethostname %s", arg_str(op, 0));
		return 0;
	case OP_SETDOMAINNAME:
		if (setdomainname(arg_str(op, 0), op->args[0].len) < 0)
			return fail(errno, "domainname", "setdomainname %s", arg_str(op, 0));
		return 0;
	case OP_MOUNT:
		return op_mount(op);
	case OP_MOUNT_IN_ROOT:
		return op_mount_in_root(op);
	case OP_MKNOD:
		return op_mknod(op);
	case OP_SYMLINK:
		return op_symlink(op);
	case OP_PIVOT_ROOT:
		return op_pivot_root(arg_str(op, 0));
	case OP_CHROOT:
		if (chroot(arg_str(op, 0)) < 0 || chdir("/") < 0)
			return fail(errno, "chroot", "chroot %s", arg_str(op, 0));
		return 0;
	case OP_MASK_PATH:
		return op_mask_path(arg_str(op, 0));
	case OP_READONLY_PATH:
		return op_readonly_path(arg_str(op, 0));
	case OP_RLIMIT:
		return set_rlimit(op);
	case OP_CHDIR:
		if (chdir(arg_str(op, 0)) < 0)
			return fail(errno, "cwd", "chdir to cwd (\"%s\") set in config.json failed", arg_str(op, 0));
		return 0;
	case OP_UMASK:
		umask((mode_t)arg_int(op, 0));
		return 0;
	case OP_CONSOLE:
		return setup_console(ctx, (unsigned)arg_int(op, 0), (unsigned)arg_int(op, 1));
	case OP_NO_NEW_PRIVS:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return fail(errno, "no_new_privileges", "prctl");
		return 0;
	case OP_SECCOMP:
		return op_seccomp(op);
	case OP_CAPS_BOUNDING:
		return op_caps_bounding(arg_u64(op, 0));
	case OP_USER:
		return op_user(op);
	case OP_CAPS:
		return op_caps(op);
	case OP_PERSONALITY:
		if (personality((unsigned long)arg_u64(op, 0)) < 0)
			return fail(errno, "personality", "personality(%s)", arg_str(op, 0));
		return 0;
	case OP_OOM_SCORE_ADJ:
		return write_file("/proc/self/oom_score_adj", arg_str(op, 0), op->args[0].len);
	case OP_PRESERVE_FDS:
		ctx->preserve_fds = (int)arg_int(op, 0);
		return 0;
	case OP_SETSID:
		if (setsid() < 0)
			return fail(errno, "setsid", "setsid");
		return 0;
	case OP_AWAIT_PARENT: {
		char go;
		if (read_all(ctx->sync_fd, &go, 1) < 0)
			return fail(errno, "sync", "waiting for the parent");
		return 0;
	}
	case OP_ARGS:
		ctx->argv = strv(op);
		return ctx->argv ? 0 : fail(ENOMEM, "args", "out of memory");
	case OP_ENV:
		ctx->envp = strv(op);
		return ctx->envp ? 0 : fail(ENOMEM, "env", "out of memory");
	case OP_CHECK_EXEC:
		return check_exec(ctx);
	case OP_WAIT_START:
		return wait_start(ctx);
	case OP_EXEC:
		return do_exec(ctx);
	default:
		return fail(EINVAL, "plan", "unknown op %u", op->code);
	}
}
