/*
 * skiff-shim --id ID --dir DIR --init PATH --plan PATH [--log PATH|none] [--log-max-size N]
 *            [--log-max-file N] [--terminal] [--stdin] [--console-socket PATH] [--exec-fifo PATH]
 *
 * Daemonizes (the launcher exits once the container exists, printing one JSON line:
 * {"pid":N,"shimPid":M,"status":"created"|"running"} or {"error":{step,errno,message,strerror}}),
 * becomes a child subreaper, listens on DIR/shim.sock, writes DIR/shim.pid, starts the container
 * through skiff-init and then serves the event loop below until a shutdown request. Every
 * decision (paths, plan, log options) comes from the caller; the shim only executes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim.h"

struct proc *g_procs[MAX_PROCS];
const char *g_dir, *g_id, *g_init_path;
char g_exec_fifo[4096];
int g_shutdown;

static char sock_path[4096], pid_path[4096], exit_path[4096];
static int own_sock, own_pid; /* what to remove if the start fails */

enum { T_SIG = 1, T_LISTEN, T_OUT, T_IN, T_CLIENT };
#define TAG(t, i) ((t) << 16 | (i))

struct proc *proc_find(const char *id)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (g_procs[i] && !strcmp(g_procs[i]->id, id))
			return g_procs[i];
	return NULL;
}

void on_output(struct proc *p, int stream, const char *data, size_t n)
{
	if (p->terminal)
		stream = 0; /* a tty has one stream, logged as stdout with its \r\n */
	if (p->log)
		logger_write(p->log, stream, data, n);
	clients_output(p, stream, data, n);
}

/* One read from a stdout/stderr fd; returns 0 on EOF (fd closed), 1 if it may have more. */
static int read_output(struct proc *p, int s)
{
	static char buf[32768];
	ssize_t n = read(p->out[s], buf, sizeof(buf));
	if (n > 0) {
		on_output(p, s, buf, (size_t)n);
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	/* EOF, or EIO from a pty master whose slave side is closed everywhere. */
	close(p->out[s]);
	p->out[s] = -1;
	if (p->log)
		logger_flush(p->log, p->terminal ? 0 : s);
	return 0;
}

/* After an exit: read what the pipes hold, bounded in case orphans keep writing. */
void proc_drain(struct proc *p)
{
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < 64 && p->out[s] >= 0; i++)
			if (read_output(p, s) <= 0)
				break;
}

static void record_exit(struct proc *p)
{
	char line[256], ts[48];
	int n;
	format_time(p->exited_ns, ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "{\"pid\":%d,\"exitCode\":%d,\"signal\":%d,\"exitedAt\":\"%s\",\"exitedAtNs\":%lld}\n",
		     p->pid, proc_exit_code(p), proc_signal(p), ts, (long long)p->exited_ns);
	(void)write_file_atomic(exit_path, line, (size_t)n);
}

static void reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_PROCS; i++) {
			struct proc *p = g_procs[i];
			if (!p || p->pid != pid || p->status == PROC_STOPPED)
				continue;
			p->wstatus = st;
			p->exited_ns = now_ns();
			p->status = PROC_STOPPED;
			proc_drain(p);
			if (i == 0)
				record_exit(p);
			p->in_closing = 1;
			buf_free(&p->inbuf);
			proc_stdin_flush(p);
			clients_exited(p);
			clients_unblock(); /* clients held back by this process's full stdin go on */
			break;
		}
		/* Anything else is an orphan re-parented to us: reaping it is all we owe it. */
	}
}

static void report(int fd, const char *line)
{
	(void)write_all(fd, line, strlen(line));
	close(fd);
}

static void report_error(int fd)
{
	char obj[sizeof(g_err.report) + 64], line[sizeof(obj) + 16];
	error_json(&g_err, obj, sizeof(obj));
	snprintf(line, sizeof(line), "{\"error\":%s}\n", obj);
	report(fd, line);
}

/* The launcher: waits for the daemon's one line, prints it, exits 0 if the container exists. */
static int launcher(int rfd)
{
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(buf) && (n = read(rfd, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (!len)
		return 1;
	(void)write_all(1, buf, len);
	return strncmp(buf, "{\"pid\":", 7) ? 1 : 0;
}

static int daemonize(int *report_fd)
{
	int p[2], null;
	pid_t pid;
	if (pipe2(p, O_CLOEXEC) < 0)
		return fail(errno, "daemonize", "pipe");
	pid = fork();
	if (pid < 0)
		return fail(errno, "daemonize", "fork");
	if (pid > 0) {
		close(p[1]);
		exit(launcher(p[0]));
	}
	close(p[0]);
	*report_fd = p[1];
	if (setsid() < 0)
		return fail(errno, "daemonize", "setsid");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return fail(errno, "daemonize", "PR_SET_CHILD_SUBREAPER");
	if (chdir("/") < 0)
		return fail(errno, "daemonize", "chdir /");
	null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		return fail(errno, "daemonize", "stdio to /dev/null");
	if (null > 2)
		close(null);
	return 0;
}

struct args {
	const char *plan, *log, *console, *fifo;
	long long max_size;
	int max_file, terminal, stdin;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(k, "--terminal")) { a->terminal = 1; continue; }
		if (!strcmp(k, "--stdin")) { a->stdin = 1; continue; }
		if (!strcmp(k, "--version")) { puts(SHIM_VERSION); exit(0); }
		if (!v)
			return fail(EINVAL, "arguments", "%s needs a value", k);
		i++;
		if (!strcmp(k, "--id")) g_id = v;
		else if (!strcmp(k, "--dir")) g_dir = v;
		else if (!strcmp(k, "--init")) g_init_path = v;
		else if (!strcmp(k, "--plan")) a->plan = v;
		else if (!strcmp(k, "--log")) a->log = strcmp(v, "none") ? v : NULL;
		else if (!strcmp(k, "--log-max-size")) a->max_size = atoll(v);
		else if (!strcmp(k, "--log-max-file")) a->max_file = atoi(v);
		else if (!strcmp(k, "--console-socket")) a->console = v;
		else if (!strcmp(k, "--exec-fifo")) a->fifo = v;
		else return fail(EINVAL, "arguments", "unknown option %s", k);
	}
	if (!g_id || !g_dir || !g_init_path || !a->plan)
		return fail(EINVAL, "arguments", "--id, --dir, --init and --plan are required");
	if (g_dir[0] != '/' || g_init_path[0] != '/' || a->plan[0] != '/' || (a->log && a->log[0] != '/'))
		return fail(EINVAL, "arguments", "paths must be absolute");
	if (strlen(g_id) > ID_MAX || (a->fifo && strlen(a->fifo) >= sizeof(g_exec_fifo)))
		return fail(ENAMETOOLONG, "arguments", "id or fifo path too long");
	if (a->terminal && !a->console)
		return fail(EINVAL, "arguments", "--terminal needs --console-socket");
	return 0;
}

static int socket_alive(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, ok;
	if (strlen(path) >= sizeof(addr.sun_path))
		return 0;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return ok;
}

/* Listens, records the pid, starts the container. */
static int setup(const struct args *a, int *lfd, int *sfd)
{
	char num[32];
	sigset_t mask;
	struct spawn_opts so = { .init_path = g_init_path, .plan = a->plan, .console = a->console,
				 .terminal = a->terminal, .stdin = a->stdin };
	struct proc *p;

	snprintf(sock_path, sizeof(sock_path), "%s/shim.sock", g_dir);
	snprintf(pid_path, sizeof(pid_path), "%s/shim.pid", g_dir);
	snprintf(exit_path, sizeof(exit_path), "%s/exit", g_dir);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 || (*sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return fail(errno, "signals", "signalfd");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return fail(errno, "signals", "ignore SIGPIPE");
	if (socket_alive(sock_path))
		return fail(EEXIST, "listen", "a shim already serves %s", sock_path);
	*lfd = listen_unix(sock_path);
	if (*lfd < 0)
		return -1;
	own_sock = 1;
	snprintf(num, sizeof(num), "%d\n", getpid());
	if (write_file_atomic(pid_path, num, strlen(num)) < 0)
		return -1;
	own_pid = 1;
	if (a->fifo) {
		strcpy(g_exec_fifo, a->fifo);
		if (mkfifo(a->fifo, 0622) < 0 && errno != EEXIST)
			return fail(errno, "exec fifo", "mkfifo %s", a->fifo);
	}
	p = g_procs[0] = calloc(1, sizeof(*p));
	if (!p)
		return fail(ENOMEM, "start", "out of memory");
	if (a->log) {
		p->log = logger_open(a->log, a->max_size, a->max_file);
		if (!p->log)
			return -1;
	}
	if (proc_spawn(p, &so) < 0)
		return -1;
	p->status = a->fifo ? PROC_CREATED : PROC_RUNNING;
	return 0;
}

static void on_signal(int sfd)
{
	struct signalfd_siginfo si;
	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap();
		else if (g_procs[0]->status == PROC_STOPPED)
			g_shutdown = 1; /* a stopped container's shim may go; a live one stays */
	}
}

static void loop(int lfd, int sfd)
{
	static struct pollfd pfds[2 + MAX_PROCS * 3 + MAX_CLIENTS];
	static int tags[sizeof(pfds) / sizeof(pfds[0])];
	while (!g_shutdown) {
		int n = 0;
		pfds[n] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		tags[n++] = TAG(T_SIG, 0);
		pfds[n] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		tags[n++] = TAG(T_LISTEN, 0);
		for (int i = 0; i < MAX_PROCS; i++) {
			struct proc *p = g_procs[i];
			if (!p)
				continue;
			for (int s = 0; s < 2; s++) {
				if (p->out[s] < 0)
					continue;
				pfds[n] = (struct pollfd){ .fd = p->out[s], .events = POLLIN };
				tags[n++] = TAG(T_OUT, i * 2 + s);
			}
			if (p->in >= 0 && p->inbuf.len) {
				pfds[n] = (struct pollfd){ .fd = p->in, .events = POLLOUT };
				tags[n++] = TAG(T_IN, i);
			}
		}
		clients_poll_add(pfds, tags, &n, TAG(T_CLIENT, 0));
		if (poll(pfds, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < n; k++) {
			int t = tags[k] >> 16, i = tags[k] & 0xffff;
			struct proc *p;
			if (!pfds[k].revents)
				continue;
			switch (t) {
			case T_SIG:
				on_signal(sfd);
				break;
			case T_LISTEN:
				clients_accept(lfd);
				break;
			case T_OUT:
				p = g_procs[i / 2];
				/* The slot may have changed during this round; act only on the same fd. */
				if (p && p->out[i % 2] == pfds[k].fd)
					(void)read_output(p, i % 2);
				break;
			case T_IN:
				p = g_procs[i];
				if (p && p->in == pfds[k].fd) {
					proc_stdin_flush(p);
					clients_unblock();
				}
				break;
			case T_CLIENT:
				clients_handle(i, pfds[k].revents);
				break;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct args a = { .max_file = 1 };
	int report_fd = 1, lfd = -1, sfd = -1;

	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			return 2;
	if (parse_args(argc, argv, &a) < 0) {
		report_error(dup(1));
		return 2;
	}
	if (daemonize(&report_fd) < 0 || setup(&a, &lfd, &sfd) < 0) {
		report_error(report_fd);
		if (own_sock)
			unlink(sock_path);
		if (own_pid)
			unlink(pid_path);
		return 1;
	}
	{
		char line[128];
		snprintf(line, sizeof(line), "{\"pid\":%d,\"shimPid\":%d,\"status\":\"%s\"}\n", g_procs[0]->pid, getpid(),
			 g_procs[0]->status == PROC_CREATED ? "created" : "running");
		report(report_fd, line);
	}
	loop(lfd, sfd);
	clients_flush_all();
	for (int i = 1; i < MAX_PROCS; i++)
		if (g_procs[i] && g_procs[i]->status != PROC_STOPPED)
			kill(g_procs[i]->pid, SIGKILL);
	logger_close(g_procs[0]->log);
	unlink(sock_path);
	unlink(pid_path);
	return 0;
}
