/*
 * The requests of the shim protocol (see shim.h), one case each. Handlers write their OK fields
 * into the reply frame and return 0, return 1 when the reply waits for an exit, or a negative
 * error code with g_err filled; what a request does to its connection (park it, turn it into a
 * stream, close it) is returned in struct req_result for client.c to apply.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim.h"

void exit_fields(struct frame *f, const struct proc *p)
{
	frame_int(f, proc_exit_code(p));
	frame_int(f, proc_signal(p));
	frame_int(f, p->exited_ns);
}

static const char *status_name(const struct proc *p)
{
	return p->status == PROC_CREATED ? "created" : p->status == PROC_RUNNING ? "running" : "stopped";
}

static void proc_fields(struct frame *f, const struct proc *p)
{
	frame_str(f, p->id);
	frame_int(f, p->pid);
	frame_str(f, status_name(p));
	exit_fields(f, p);
}

static struct proc *find(const struct fields *fl, size_t i)
{
	char id[ID_MAX + 1];
	struct proc *p;
	if (field_str(fl, i, id, sizeof(id)) < 0)
		return NULL;
	p = proc_find(id);
	if (!p)
		fail(ENOENT, "find process", "no such exec: %s", id);
	return p;
}

static int start_init(void)
{
	struct proc *p = g_procs[0];
	struct pollfd pf;
	char c;
	int fd, r;
	if (p->status == PROC_STOPPED)
		return fail(0, "start", "cannot start a container that has stopped"), -E_CONFLICT;
	if (p->status == PROC_RUNNING)
		return fail(0, "start", "cannot start an already running container"), -E_CONFLICT;
	fd = open(g_exec_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "start", "open %s", g_exec_fifo), -E_INTERNAL;
	/* The process is blocked opening the fifo for writing; our open releases it, its byte follows. */
	pf = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (int i = 0; i < 100; i++) {
		siginfo_t si = { 0 };
		r = poll(&pf, 1, 100);
		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		/* Dead while blocked on the fifo (not reaped yet: WNOWAIT leaves that to the loop)? */
		if (waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == p->pid) {
			close(fd);
			return fail(0, "start", "container process exited before start"), -E_CONFLICT;
		}
	}
	if (r <= 0 || read(fd, &c, 1) != 1) {
		int e = r < 0 ? errno : ETIMEDOUT;
		close(fd);
		return fail(e, "start", "the container did not take the start signal"), -E_INTERNAL;
	}
	close(fd);
	unlink(g_exec_fifo);
	p->status = PROC_RUNNING;
	return 0;
}

static int add_exec(const struct fields *fl, struct frame *f, struct req_result *res)
{
	char id[ID_MAX + 1], plan[4096], console[4096];
	long long flags;
	struct spawn_opts so = { .init_path = g_init_path, .plan = plan, .console = console };
	struct proc *p;
	int slot;
	if (field_str(fl, 0, id, sizeof(id)) < 0 || field_str(fl, 1, plan, sizeof(plan)) < 0 ||
	    field_int(fl, 2, &flags) < 0 || field_str(fl, 3, console, sizeof(console)) < 0)
		return -E_INVALID;
	if (!id[0] || proc_find(id))
		return fail(EEXIST, "exec", "exec %s already exists", id), -E_CONFLICT;
	for (slot = 1; slot < MAX_PROCS && g_procs[slot]; slot++)
		;
	if (slot == MAX_PROCS)
		return fail(EMFILE, "exec", "too many execs"), -E_CONFLICT;
	so.terminal = (flags & EXEC_TERMINAL) != 0;
	so.stdin = (flags & EXEC_STDIN) != 0;
	if (so.terminal && !console[0])
		return fail(EINVAL, "exec", "a terminal needs a console socket"), -E_INVALID;
	p = calloc(1, sizeof(*p));
	if (!p)
		return fail(ENOMEM, "exec", "out of memory"), -E_INTERNAL;
	strcpy(p->id, id);
	if (proc_spawn(p, &so) < 0) {
		free(p);
		return g_err.report[0] ? -E_INIT : -E_INTERNAL;
	}
	p->status = PROC_RUNNING;
	g_procs[slot] = p;
	frame_int(f, p->pid);
	if (flags & (ATTACH_STDIN | ATTACH_STDOUT | ATTACH_STDERR)) {
		res->attach = p;
		res->flags = (int)flags;
	}
	return 0;
}

int handle_request(int type, const struct fields *fl, struct frame *f, struct req_result *res)
{
	struct proc *p;
	long long a, b;
	switch (type) {
	case MSG_VERSION:
		frame_int(f, PROTO_VERSION);
		frame_str(f, SHIM_VERSION);
		frame_int(f, getpid());
		frame_str(f, g_id);
		return 0;
	case MSG_STATE: {
		int n = 0;
		p = g_procs[0];
		frame_int(f, p->pid);
		frame_str(f, status_name(p));
		exit_fields(f, p);
		for (int i = 1; i < MAX_PROCS; i++)
			n += g_procs[i] != NULL;
		frame_int(f, n);
		for (int i = 1; i < MAX_PROCS; i++)
			if (g_procs[i])
				proc_fields(f, g_procs[i]);
		return 0;
	}
	case MSG_EXEC_STATE:
		if (!(p = find(fl, 0)))
			return -E_NOT_FOUND;
		proc_fields(f, p);
		return 0;
	case MSG_START:
		return start_init();
	case MSG_WAIT:
		if (!(p = find(fl, 0)))
			return -E_NOT_FOUND;
		if (p->status == PROC_STOPPED) {
			exit_fields(f, p);
			return 0;
		}
		res->wait = p;
		return 1;
	case MSG_KILL:
		if (!(p = find(fl, 0)) || field_int(fl, 1, &a) < 0)
			return -E_NOT_FOUND;
		if (p->status == PROC_STOPPED)
			return fail(ESRCH, "kill", "process already finished"), -E_CONFLICT;
		if (kill(p->pid, (int)a) < 0)
			return fail(errno, "kill", "kill(%d, %lld)", p->pid, a), errno == EINVAL ? -E_INVALID : -E_INTERNAL;
		return 0;
	case MSG_ATTACH:
		if (!(p = find(fl, 0)) || field_int(fl, 1, &a) < 0)
			return -E_NOT_FOUND;
		res->attach = p;
		res->flags = (int)a;
		return 0;
	case MSG_RESIZE: {
		struct winsize ws;
		if (!(p = find(fl, 0)) || field_int(fl, 1, &a) < 0 || field_int(fl, 2, &b) < 0)
			return -E_NOT_FOUND;
		if (!p->terminal)
			return fail(ENOTTY, "resize", "process has no terminal"), -E_INVALID;
		if (p->out[0] < 0)
			return fail(EIO, "resize", "terminal already closed"), -E_CONFLICT;
		ws = (struct winsize){ .ws_row = (unsigned short)a, .ws_col = (unsigned short)b };
		if (ioctl(p->out[0], TIOCSWINSZ, &ws) < 0)
			return fail(errno, "resize", "TIOCSWINSZ"), -E_INTERNAL;
		return 0;
	}
	case MSG_CLOSE_STDIN:
		if (!(p = find(fl, 0)))
			return -E_NOT_FOUND;
		p->in_closing = 1;
		proc_stdin_flush(p);
		return 0;
	case MSG_EXEC:
		return add_exec(fl, f, res);
	case MSG_DELETE_EXEC:
		if (!(p = find(fl, 0)))
			return -E_NOT_FOUND;
		if (p == g_procs[0])
			return fail(EINVAL, "delete", "the init process is deleted by shutdown"), -E_INVALID;
		if (p->status != PROC_STOPPED)
			return fail(EBUSY, "delete", "exec %s is still running", p->id), -E_CONFLICT;
		clients_detach_proc(p);
		for (int i = 1; i < MAX_PROCS; i++)
			if (g_procs[i] == p)
				g_procs[i] = NULL;
		proc_close_fds(p);
		free(p);
		return 0;
	case MSG_SHUTDOWN:
		if (g_procs[0]->status != PROC_STOPPED)
			return fail(EBUSY, "shutdown", "the container is still running"), -E_CONFLICT;
		g_shutdown = 1;
		res->close = 1;
		return 0;
	default:
		return fail(EPROTO, "protocol", "unknown request %d", type), -E_INVALID;
	}
}
