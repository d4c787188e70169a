/*
 * skiff-launch: what bin/skiff execs. It hands the command line, environment, working
 * directory, umask and the three stdio descriptors to an idle skiff CLI process that is already
 * started (the per-user pool src/cli/warm/ keeps), forwards the signals it receives to that
 * process and exits with its status. Without an idle pool process it execs `node <bundle> args`
 * (a cold start) and names the pool's directory in SKIFF_CLI_POOL: TypeScript decides whether
 * to start one. It decides nothing else.
 *
 *   skiff-launch <bundle.cjs> [args...]
 *
 * Pool directory: $XDG_RUNTIME_DIR/skiff-cli (when that directory is ours; else
 * /tmp/skiff-cli-<uid>) / <fnv1a-64 of the bundle's real path>, each level a directory of ours
 * that nobody else may enter. Each idle process listens on w-<pid>.sock there and serves one
 * command.
 *
 * Wire format (one message; the three descriptors ride on it as SCM_RIGHTS): "SKF1", then
 * u32 umask, argc, envc, flags, payload length (host order), then the payload: cwd, the
 * arguments and the environment, each NUL-terminated. Flags: 1 = stdin is a terminal whose
 * foreground is not our process group (a background job). Replies: 'K' once the process has
 * taken the command, later 'X' and the exit code; 'S' (stale) or EOF: try the next process;
 * 'C': start cold.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>


extern char **environ;

static const int FORWARDED[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2, SIGTSTP, SIGCONT };
#define NFORWARDED (sizeof(FORWARDED) / sizeof(FORWARDED[0]))

static void cold(char *bundle, int argc, char **argv, const char *pool)
{
	char **args = calloc((size_t)argc + 3, sizeof(char *));
	int i;

	if (!args) {
		perror("skiff: calloc");
		exit(125);
	}
	if (pool && setenv("SKIFF_CLI_POOL", pool, 1) < 0) {
		perror("skiff: setenv");
		exit(125);
	}
	args[0] = "node";
	args[1] = bundle;
	for (i = 0; i < argc; i++)
		args[i + 2] = argv[i];
	execvp("node", args);
	fprintf(stderr, "skiff: cannot run node: %s\n", strerror(errno));
	exit(127);
}

/* A directory that only we can enter: ours, not a symlink, no group or other bits. */
static int private_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() && (st.st_mode & 077) == 0;
}

static int pool_dir(const char *bundle, char *out, size_t size)
{
	char real[PATH_MAX];
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;
	int n;

	if (!realpath(bundle, real))
		return -1;
	for (p = real; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	/* A runtime directory that is not ours (sudo keeps the caller's) is not used. */
	if (base && base[0] == '/' && stat(base, &st) == 0 && st.st_uid == getuid())
		n = snprintf(out, size, "%s/skiff-cli/%016llx", base, (unsigned long long)h);
	else
		n = snprintf(out, size, "/tmp/skiff-cli-%u/%016llx", (unsigned)getuid(), (unsigned long long)h);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The message described above, or NULL (errno set) when it cannot be built. */
static char *request(int argc, char **argv, size_t *len)
{
	char cwd[PATH_MAX];
	uint32_t head[5];
	pid_t fg;
	size_t payload, off = 4 + sizeof(head), n;
	mode_t mask = umask(0);
	char *msg, **e;
	uint32_t envc = 0;
	int i;

	umask(mask);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	payload = strlen(cwd) + 1;
	for (i = 0; i < argc; i++)
		payload += strlen(argv[i]) + 1;
	for (e = environ; *e; e++, envc++)
		payload += strlen(*e) + 1;
	if (payload > UINT32_MAX) {
		errno = E2BIG;
		return NULL;
	}
	msg = malloc(off + payload);
	if (!msg)
		return NULL;
	head[0] = (uint32_t)mask;
	head[1] = (uint32_t)argc;
	head[2] = envc;
	fg = isatty(0) ? tcgetpgrp(0) : -1;
	head[3] = fg > 0 && fg != getpgrp() ? 1 : 0;
	head[4] = (uint32_t)payload;
	memcpy(msg, "SKF1", 4);
	memcpy(msg + 4, head, sizeof(head));
	n = strlen(cwd) + 1;
	memcpy(msg + off, cwd, n);
	off += n;
	for (i = 0; i < argc; i++, off += n) {
		n = strlen(argv[i]) + 1;
		memcpy(msg + off, argv[i], n);
	}
	for (e = environ; *e; e++, off += n) {
		n = strlen(*e) + 1;
		memcpy(msg + off, *e, n);
	}
	*len = off;
	return msg;
}

static int peer_ok(int sock, pid_t *pid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != getuid())
		return 0;
	*pid = cred.pid;
	return 1;
}

static int send_request(int sock, const char *msg, size_t len)
{
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} u;
	int fds[3] = { 0, 1, 2 };
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	size_t off = 0;
	ssize_t n;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	/* The descriptors ride on the first bytes; MSG_NOSIGNAL: no SIGPIPE if the peer left. */
	while (off < len) {
		if (off == 0)
			n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		else
			n = send(sock, msg + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			off += (size_t)n;
	}
	return 0;
}

/*
 * Hands the command to the pool process listening on dir/name: the socket once it said 'K';
 * -1 to try the next process, -2 to start cold.
 */
static int claim(const char *dir, const char *name, const char *msg, size_t len, pid_t *pid)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char reply;
	int sock, n;

	n = snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path))
		return -1;
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || !peer_ok(sock, pid) || send_request(sock, msg, len) < 0)
		goto fail;
	/*
	 * The process reads the command as soon as it accepts, and answers or closes within its own
	 * read timeout. No timeout here: giving up after it took the command would run it twice.
	 */
	do
		n = (int)read(sock, &reply, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1 && reply == 'K')
		return sock;
	close(sock);
	return n == 1 && reply == 'C' ? -2 : -1;
fail:
	close(sock);
	return -1;
}

static void send_signal(int pidfd, pid_t pid, int sig)
{
	if (pidfd >= 0 ? syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) : kill(pid, sig))
		if (errno != ESRCH)
			fprintf(stderr, "skiff: cannot forward signal %d: %s\n", sig, strerror(errno));
}

/* Forwards signals until the process reports its exit code, then exits with it. */
static int relay(int sock, pid_t pid, const sigset_t *set)
{
	struct signalfd_siginfo si;
	struct pollfd p[2];
	unsigned char status[2];
	size_t got = 0;
	int pidfd, sfd, last = 0;
	ssize_t n;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	sfd = signalfd(-1, set, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("skiff: signalfd");
		return 125;
	}
	p[0].fd = sock;
	p[0].events = POLLIN;
	p[1].fd = sfd;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("skiff: poll");
			return 125;
		}
		if (p[1].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGTSTP) {
				/* Stop the command, then ourselves; the shell's SIGCONT is passed on. */
				send_signal(pidfd, pid, SIGSTOP);
				if (kill(getpid(), SIGSTOP) < 0)
					perror("skiff: kill");
				continue;
			}
			send_signal(pidfd, pid, (int)si.ssi_signo);
			if (si.ssi_signo != SIGWINCH && si.ssi_signo != SIGCONT)
				last = (int)si.ssi_signo;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(sock, status + got, sizeof(status) - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n > 0) {
				got += (size_t)n;
				if (got == sizeof(status))
					return status[0] == 'X' ? status[1] : 125;
				continue;
			}
			break;
		}
	}
	/* No status: the process died of a signal, most likely the one we passed on. */
	if (last) {
		sigset_t one;

		signal(last, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, last);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		raise(last);
		return 128 + last;
	}
	fputs("skiff: the command's process ended without an exit status\n", stderr);
	return 125;
}

int main(int argc, char **argv)
{
	char pool[PATH_MAX], top[PATH_MAX], *msg, *slash;
	const char *warm = getenv("SKIFF_CLI_WARM");
	sigset_t set, old;
	struct dirent *de;
	size_t len, i, nl;
	pid_t pid = 0;
	int fd, sock = -1;
	DIR *d;

	if (argc < 2) {
		fputs("usage: skiff-launch BUNDLE [ARG...]\n", stderr);
		return 125;
	}
	/* As Node does at start-up: a closed stdio descriptor becomes /dev/null. */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			return 125;
	if ((warm && strcmp(warm, "0") == 0) || pool_dir(argv[1], pool, sizeof(pool)) < 0)
		cold(argv[1], argc - 2, argv + 2, NULL);
	strcpy(top, pool);
	slash = strrchr(top, '/');
	*slash = '\0';
	if (!private_dir(top) || !private_dir(pool))
		cold(argv[1], argc - 2, argv + 2, pool);

	sigemptyset(&set);
	for (i = 0; i < NFORWARDED; i++)
		sigaddset(&set, FORWARDED[i]);
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
		cold(argv[1], argc - 2, argv + 2, pool);
	msg = request(argc - 2, argv + 2, &len);
	d = msg ? opendir(pool) : NULL;
	while (d && sock == -1 && (de = readdir(d))) {
		nl = strlen(de->d_name);
		if (strncmp(de->d_name, "w-", 2) == 0 && nl > 7 && strcmp(de->d_name + nl - 5, ".sock") == 0)
			sock = claim(pool, de->d_name, msg, len, &pid);
	}
	if (d)
		closedir(d);
	free(msg);
	if (sock < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		cold(argv[1], argc - 2, argv + 2, pool);
	}
	return relay(sock, pid, &set);
}
