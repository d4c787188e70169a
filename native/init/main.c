/*
 * skiff-init: the container executor. It reads a plan computed in TypeScript, joins or creates
 * namespaces, clones the container process, lets the parent side finish what must be done from
 * outside (uid/gid maps, cgroup membership), then lets the child build the container and exec.
 *
 *   skiff-init [--plan PATH | --plan-fd N] [--report-fd N] [--foreground]
 *
 * Reports go to --report-fd as JSON lines: {"pid":N}, {"ready":true} (created, waiting for start),
 * {"started":true} (exec done), {"error":{"step":…,"errno":…,"message":…}}; without it, errors
 * are one line on stderr. Detached (default): exits 0 once the container is created or started.
 * --foreground: stays, forwards signals, proxies a terminal, and exits with the container's
 * status (128+signal when killed), as `runc run` does.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

struct init_error g_err;
static int g_report_fd = -1;

int fail(int err, const char *step, const char *fmt, ...)
{
	va_list ap;
	g_err.err = err;
	snprintf(g_err.step, sizeof(g_err.step), "%s", step);
	va_start(ap, fmt);
	vsnprintf(g_err.message, sizeof(g_err.message), fmt, ap);
	va_end(ap);
	return -1;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void report_line(const char *line)
{
	if (g_report_fd >= 0)
		(void)write_all(g_report_fd, line, strlen(line));
}

static void report_error(const struct init_error *e)
{
	if (g_report_fd >= 0) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			return;
		fprintf(f, "{\"error\":{\"step\":");
		json_str(f, e->step);
		fprintf(f, ",\"errno\":%d,\"message\":", e->err);
		json_str(f, e->message);
		fprintf(f, ",\"strerror\":");
		json_str(f, e->err ? strerror(e->err) : "");
		fprintf(f, "}}\n");
		fclose(f);
		(void)write_all(g_report_fd, buf, len);
		free(buf);
	} else {
		if (e->err)
			fprintf(stderr, "skiff-init: %s: %s: %s\n", e->step, e->message, strerror(e->err));
		else
			fprintf(stderr, "skiff-init: %s: %s\n", e->step, e->message);
	}
}

static void die(void)
{
	report_error(&g_err);
	exit(1);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;
	if (strlen(path) >= sizeof(addr.sun_path))
		return fail(ENAMETOOLONG, "console socket", "path too long: %s", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(errno, "console socket", "socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		return fail(e, "console socket", "connect %s", path);
	}
	return fd;
}

/* Parent ops that run before the clone. */
static int run_parent_op(const struct op *op, struct child_ctx *ctx)
{
	switch (op->code) {
	case OP_SETNS:
	case OP_UNSHARE:
	case OP_WRITE_FILE:
		return run_child_op(ctx, op); /* the same step on either side */
	case OP_CONSOLE_SOCKET:
		ctx->console_fd = connect_unix(arg_str(op, 0));
		return ctx->console_fd < 0 ? -1 : 0;
	case OP_EXEC_FIFO:
		ctx->fifo_dirfd = open(arg_str(op, 0), O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ctx->fifo_dirfd < 0)
			return fail(errno, "exec fifo", "open %s", arg_str(op, 0));
		ctx->fifo_name = arg_str(op, 1);
		return 0;
	default:
		return fail(EINVAL, "plan", "op %u cannot run before the clone", op->code);
	}
}

/* Parent ops that run once the child exists. */
static int run_post_op(const struct op *op, pid_t pid)
{
	char path[128], num[32];
	const char *file;
	switch (op->code) {
	case OP_UID_MAP: file = "uid_map"; break;
	case OP_GID_MAP: file = "gid_map"; break;
	case OP_SETGROUPS: file = "setgroups"; break;
	case OP_CGROUP_JOIN:
		snprintf(num, sizeof(num), "%d", pid);
		if (write_file(arg_str(op, 0), num, strlen(num)) < 0)
			return fail(g_err.err, "join cgroup", "write pid to %s", arg_str(op, 0));
		return 0;
	case OP_WRITE_FILE:
		return write_file(arg_str(op, 0), arg_str(op, 1), op->args[1].len);
	default:
		return fail(EINVAL, "plan", "op %u cannot run in the parent after the clone", op->code);
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if (write_file(path, arg_str(op, 0), op->args[0].len) < 0)
		return fail(g_err.err, "user namespace", "write %s", file);
	return 0;
}

/*
 * Lets the child go on. A child released early may already have failed and gone: then its error,
 * waiting in the socket, is the one to report, not the broken pipe.
 */
static int send_go(int fd, pid_t child, const char *what)
{
	struct sync_msg msg;
	ssize_t n;
	do
		n = send(fd, "g", 1, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	fail(errno, "sync", "%s", what);
	if (read_all(fd, &msg, sizeof(msg)) == 0 && msg.type == SYNC_ERROR)
		g_err = msg.error;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return -1;
}

static void child_main(const struct plan *plan, size_t first, struct child_ctx *ctx)
{
	struct sync_msg msg = { 0 };
	sigset_t none;
	char go;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		fail(errno, "prctl", "PR_SET_PDEATHSIG");
		goto out;
	}
	if (read_all(ctx->sync_fd, &go, 1) < 0) {
		fail(errno, "sync", "waiting for the parent");
		goto out;
	}
	for (size_t i = first; i < plan->nops; i++)
		if (run_child_op(ctx, &plan->ops[i]) < 0)
			goto out;
	fail(EINVAL, "plan", "the plan has no exec");
out:
	msg.type = SYNC_ERROR;
	msg.error = g_err;
	(void)write_all(ctx->sync_fd, &msg, sizeof(msg));
	_exit(1);
}

static int wait_child(int sigfd, pid_t child, int master)
{
	int status = 0;
	if (master >= 0) {
		if (proxy_terminal(master, sigfd, child, &status) < 0)
			die();
	} else {
		for (;;) {
			struct signalfd_siginfo si;
			ssize_t n = read(sigfd, &si, sizeof(si));
			if (n < 0 && errno == EINTR)
				continue;
			if (n != sizeof(si))
				break;
			if (si.ssi_signo == SIGCHLD) {
				pid_t w = waitpid(child, &status, WNOHANG);
				if (w == child)
					break;
				continue;
			}
			kill(child, (int)si.ssi_signo);
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct plan plan;
	struct child_ctx ctx = { .console_fd = -1, .fifo_dirfd = -1 };
	int plan_fd = -1, foreground = 0, sv[2], sigfd = -1, master = -1;
	unsigned long clone_flags = 0;
	size_t i, child_first = 0;
	sigset_t fwd;
	pid_t pid;
	char line[96];

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--plan") && a + 1 < argc) {
			plan_fd = open(argv[++a], O_RDONLY | O_CLOEXEC);
			if (plan_fd < 0) {
				fail(errno, "read plan", "open %s", argv[a]);
				die();
			}
		} else if (!strcmp(argv[a], "--plan-fd") && a + 1 < argc) {
			plan_fd = atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--report-fd") && a + 1 < argc) {
			g_report_fd = atoi(argv[++a]);
			if (fcntl(g_report_fd, F_SETFD, FD_CLOEXEC) < 0)
				g_report_fd = -1;
		} else if (!strcmp(argv[a], "--foreground")) {
			foreground = 1;
		} else if (!strcmp(argv[a], "--version")) {
			puts("skiff-init 0.1.0");
			return 0;
		} else {
			fprintf(stderr, "usage: skiff-init [--plan PATH | --plan-fd N] [--report-fd N] [--foreground]\n");
			return 2;
		}
	}
	if (plan_fd < 0) {
		fprintf(stderr, "skiff-init: no plan given (--plan or --plan-fd)\n");
		return 2;
	}
	if (plan_read(plan_fd, &plan) < 0)
		die();
	close(plan_fd);

	for (i = 0; i < plan.nops && plan.ops[i].code != OP_CLONE; i++)
		if (run_parent_op(&plan.ops[i], &ctx) < 0)
			die();
	if (i == plan.nops) {
		fail(EINVAL, "plan", "the plan has no clone");
		die();
	}
	clone_flags = (unsigned long)arg_u64(&plan.ops[i], 0);
	for (child_first = i + 1; child_first < plan.nops && plan.ops[child_first].code != OP_CHILD; child_first++)
		;
	if (child_first == plan.nops) {
		fail(EINVAL, "plan", "the plan has no child section");
		die();
	}
	{
		/* An early release and the child's second wait come in pairs, or the child waits forever. */
		int releases = 0, awaits = 0;
		for (size_t j = i + 1; j < child_first; j++)
			releases += plan.ops[j].code == OP_RELEASE_CHILD;
		for (size_t j = child_first + 1; j < plan.nops; j++)
			awaits += plan.ops[j].code == OP_AWAIT_PARENT;
		if (releases > 1 || releases != awaits) {
			fail(EINVAL, "plan", "OP_RELEASE_CHILD and OP_AWAIT_PARENT must come as one pair");
			die();
		}
	}

	/* Block the signals we forward before the child exists; the child unblocks them. */
	sigfillset(&fwd);
	sigdelset(&fwd, SIGSEGV);
	sigdelset(&fwd, SIGBUS);
	sigdelset(&fwd, SIGILL);
	sigdelset(&fwd, SIGFPE);
	if (foreground && sigprocmask(SIG_BLOCK, &fwd, NULL) < 0) {
		fail(errno, "signals", "sigprocmask");
		die();
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		fail(errno, "sync", "socketpair");
		die();
	}
	pid = (pid_t)syscall(SYS_clone, clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		fail(errno, "clone", "clone(0x%lx)", clone_flags);
		die();
	}
	if (pid == 0) {
		close(sv[0]);
		/* Only the parent reports; a child that kept this fd would hold the caller's pipe open. */
		if (g_report_fd >= 0)
			close(g_report_fd);
		ctx.sync_fd = sv[1];
		child_main(&plan, child_first + 1, &ctx);
	}
	close(sv[1]);
	if (ctx.console_fd >= 0)
		close(ctx.console_fd);

	for (size_t j = i + 1; j < child_first; j++) {
		if (plan.ops[j].code == OP_RELEASE_CHILD) {
			if (send_go(sv[0], pid, "releasing the child") < 0)
				die();
			continue;
		}
		if (run_post_op(&plan.ops[j], pid) < 0) {
			/* A child released early that failed (and so made this step fail, joining a cgroup
			   with a dead pid) has said why; its reason comes first. */
			struct sync_msg msg;
			if (recv(sv[0], &msg, sizeof(msg), MSG_DONTWAIT) == (ssize_t)sizeof(msg) && msg.type == SYNC_ERROR)
				g_err = msg.error;
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			die();
		}
	}
	snprintf(line, sizeof(line), "{\"pid\":%d}\n", pid);
	report_line(line);
	if (send_go(sv[0], pid, "starting the child") < 0)
		die();

	for (;;) {
		struct sync_msg msg;
		if (read_all(sv[0], &msg, sizeof(msg)) < 0) {
			/* EOF: the child exec'd (the socket is close-on-exec). */
			report_line("{\"started\":true}\n");
			break;
		}
		if (msg.type == SYNC_CONSOLE) {
			master = recv_fd(sv[0]);
			if (master < 0) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				die();
			}
			continue;
		}
		if (msg.type == SYNC_READY) {
			report_line("{\"ready\":true}\n");
			return 0;
		}
		g_err = msg.error;
		waitpid(pid, NULL, 0);
		die();
	}
	if (!foreground)
		return 0;
	sigfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sigfd < 0) {
		fail(errno, "signals", "signalfd");
		die();
	}
	return wait_child(sigfd, pid, master);
}
