/*
 * Processes started through skiff-init: the container's init at startup, and execs on request.
 * skiff-init runs detached with the stdio we prepared (pipes, or /dev/null and a console socket
 * for a tty) and exits once the process exists; since the shim is a child subreaper, the
 * process is then re-parented to us, and we reap it. skiff-init's report (pid, or an error
 * naming the step) is read to its end before we go on, so a start is one synchronous step.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim.h"

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* The kernel's struct sigaction (x86_64, aarch64): what rt_sigaction(2) takes. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

/* The forked child: stdio in place, the report pipe as fd 3, then skiff-init. Never returns. */
static void exec_init(const struct spawn_opts *o, int fd0, int fd1, int fd2, int report)
{
	sigset_t none;
	sigemptyset(&none);
	/* Blocked and ignored signals survive execve; the container must start with neither. The shim
	   ignores SIGPIPE, and may inherit other ignored signals from whoever started it. */
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(126);
	/* The raw system call, because the C library refuses the real-time signals it reserves
	   (32, 33), which a parent may have left ignored all the same. */
	for (int sig = 1; sig <= 64; sig++) {
		struct ksigaction old, dfl = { .handler = SIG_DFL };
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(old.mask)) < 0)
			_exit(126);
		if (old.handler == SIG_IGN && syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)) < 0)
			_exit(126);
	}
	if (dup2(fd0, 0) < 0 || dup2(fd1, 1) < 0 || dup2(fd2, 2) < 0)
		_exit(126);
	if (report == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(report, 3) < 0)
		_exit(126);
	execl(o->init_path, "skiff-init", "--plan", o->plan, "--report-fd", "3", (char *)NULL);
	dprintf(3, "{\"error\":{\"step\":\"start\",\"errno\":%d,\"message\":\"cannot run skiff-init\",\"strerror\":\"%s\"}}\n",
		errno, strerror(errno));
	_exit(127);
}

/* Reads skiff-init's JSON lines: {"pid":N}, {"ready":true}, {"started":true}, {"error":{…}}. */
static int read_report(int fd, pid_t *pid, char *errobj, size_t cap)
{
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	if (n < 0)
		return fail(errno, "start", "read the skiff-init report");
	buf[len] = 0;
	for (char *line = buf, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		if (!strncmp(line, "{\"pid\":", 7)) {
			*pid = (pid_t)atoi(line + 7);
		} else if (!strncmp(line, "{\"error\":", 9)) {
			size_t l = strlen(line + 9);
			if (l > 0 && l - 1 < cap) {
				memcpy(errobj, line + 9, l - 1); /* the inner object, without the outer } */
				errobj[l - 1] = 0;
			}
		}
	}
	return 0;
}

static int receive_master(int lfd, const char *path)
{
	int conn, master;
	conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return fail(errno, "console", "accept on %s", path);
	master = recv_fd(conn);
	close(conn);
	return master;
}

int proc_spawn(struct proc *p, const struct spawn_opts *o)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int lfd = -1, devnull = -1, wst = 0, rc = -1;
	char errobj[sizeof(g_err.report)] = "";
	pid_t child, pid = 0;

	p->out[0] = p->out[1] = p->in = -1;
	if (o->terminal) {
		lfd = listen_unix(o->console);
		if (lfd < 0)
			return -1;
		/* The master arrives on an accepted connection; block for that one receive. */
	} else if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || (o->stdin && pipe2(in, O_CLOEXEC) < 0)) {
		fail(errno, "start", "pipe");
		goto out;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(rep, O_CLOEXEC) < 0) {
		fail(errno, "start", "open /dev/null or the report pipe");
		goto out;
	}
	child = fork();
	if (child < 0) {
		fail(errno, "start", "fork");
		goto out;
	}
	if (child == 0)
		exec_init(o, in[0] >= 0 ? in[0] : devnull, o->terminal ? devnull : out[1],
			  o->terminal ? devnull : err[1], rep[1]);
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	close_fd(&rep[1]);
	rc = read_report(rep[0], &pid, errobj, sizeof(errobj));
	while (waitpid(child, &wst, 0) < 0) {
		if (errno != EINTR) {
			rc = fail(errno, "start", "wait for skiff-init");
			break;
		}
	}
	if (rc < 0)
		goto out;
	rc = -1;
	if (errobj[0]) {
		fail(0, "start", "skiff-init reported an error");
		snprintf(g_err.report, sizeof(g_err.report), "%s", errobj);
		goto out;
	}
	if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0 || pid <= 0) {
		fail(0, "start", "skiff-init exited with status %d before reporting a pid", wst);
		goto out;
	}
	if (o->terminal) {
		int master = receive_master(lfd, o->console);
		if (master < 0) {
			kill(pid, SIGKILL);
			goto out;
		}
		p->out[0] = master;
		if (o->stdin && (p->in = fcntl(master, F_DUPFD_CLOEXEC, 3)) < 0) {
			fail(errno, "start", "dup the pty master");
			kill(pid, SIGKILL);
			goto out;
		}
	} else {
		p->out[0] = out[0];
		p->out[1] = err[0];
		p->in = in[1];
		out[0] = err[0] = in[1] = -1;
	}
	for (int i = 0; i < 2; i++)
		if (p->out[i] >= 0 && set_nonblock(p->out[i]) < 0)
			goto out;
	if (p->in >= 0 && set_nonblock(p->in) < 0)
		goto out;
	p->pid = pid;
	p->terminal = o->terminal;
	rc = 0;
out:
	if (rc < 0)
		proc_close_fds(p);
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	close_fd(&rep[0]);
	close_fd(&rep[1]);
	close_fd(&devnull);
	if (lfd >= 0) {
		close(lfd);
		unlink(o->console);
	}
	return rc;
}

int proc_exit_code(const struct proc *p)
{
	if (WIFSIGNALED(p->wstatus))
		return 128 + WTERMSIG(p->wstatus);
	return WEXITSTATUS(p->wstatus);
}

int proc_signal(const struct proc *p)
{
	return WIFSIGNALED(p->wstatus) ? WTERMSIG(p->wstatus) : 0;
}

/* Writes what the process's stdin can take now; closes it once drained if asked to. */
void proc_stdin_flush(struct proc *p)
{
	while (p->in >= 0 && p->inbuf.len) {
		ssize_t n = write(p->in, p->inbuf.data, p->inbuf.len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* EPIPE: the reader is gone; nothing more will be read. */
			buf_free(&p->inbuf);
			close_fd(&p->in);
			return;
		}
		buf_consume(&p->inbuf, (size_t)n);
	}
	if (p->in >= 0 && p->in_closing)
		close_fd(&p->in);
}

void proc_close_fds(struct proc *p)
{
	close_fd(&p->out[0]);
	close_fd(&p->out[1]);
	close_fd(&p->in);
	buf_free(&p->inbuf);
}
