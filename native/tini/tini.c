/*
 * skiff-tini: the init `docker run --init` puts at pid 1 of a container (bind-mounted at
 * /sbin/docker-init and run as `/sbin/docker-init -- cmd args...`), doing what tini does by
 * default: it runs the command as its one child, forwards every signal it receives to that child,
 * reaps every zombie re-parented to it, and exits with the child's status (128+n when the child
 * was killed by signal n) as soon as the child exits — the kernel then kills whatever is left in
 * the pid namespace.
 *
 * A pid 1 gets no default signal actions, so all signals are blocked and taken synchronously
 * with sigtimedwait; the child gets the original mask back before exec. The child runs in its own
 * process group and, on a terminal, becomes its foreground group (so ^C reaches it directly).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VERSION "0.1.0"

static void usage(FILE *f, const char *argv0)
{
	fprintf(f, "skiff-tini " VERSION " (tini-compatible init for containers)\n"
		   "Usage: %s [--version] [--] PROGRAM [ARGS...]\n"
		   "Runs PROGRAM as its child, forwards signals to it, reaps zombies and\n"
		   "exits with PROGRAM's exit status (128+N when killed by signal N).\n",
		argv0);
}

/* Signals a process cannot usefully wait for: they come from its own faults. */
static const int synchronous[] = { SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS };

static int spawn(char *const argv[], const sigset_t *orig, const struct sigaction *ttin,
		 const struct sigaction *ttou)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid; /* parent, or -1 */
	if (setpgid(0, 0) < 0)
		fprintf(stderr, "skiff-tini: setpgid: %s\n", strerror(errno));
	if (tcsetpgrp(STDIN_FILENO, getpgrp()) < 0 && errno != ENOTTY && errno != ENXIO && errno != EBADF)
		fprintf(stderr, "skiff-tini: tcsetpgrp: %s\n", strerror(errno));
	if (sigaction(SIGTTIN, ttin, NULL) < 0 || sigaction(SIGTTOU, ttou, NULL) < 0 ||
	    sigprocmask(SIG_SETMASK, orig, NULL) < 0) {
		fprintf(stderr, "skiff-tini: restoring signals: %s\n", strerror(errno));
		_exit(1);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "skiff-tini: exec %s failed: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Reaps every exited child; returns the main child's exit code once it is among them, else -1. */
static int reap(pid_t child)
{
	int code = -1;
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p == 0 || (p < 0 && errno == ECHILD))
			return code;
		if (p < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "skiff-tini: waitpid: %s\n", strerror(errno));
			exit(1);
		}
		if (p != child)
			continue;
		if (WIFEXITED(st))
			code = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			code = 128 + WTERMSIG(st);
	}
}

int main(int argc, char *argv[])
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, ttin, ttou;
	sigset_t all, orig;
	int first = 1;
	pid_t child;

	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))) {
		printf("tini version " VERSION " - skiff-tini\n");
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout, argv[0]);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--"))
		first = 2;
	else if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "skiff-tini: unknown option %s\n", argv[1]);
		usage(stderr, argv[0]);
		return 1;
	}
	if (first >= argc) {
		usage(stderr, argv[0]);
		return 1;
	}

	if (sigfillset(&all) < 0)
		return perror("skiff-tini: sigfillset"), 1;
	for (size_t i = 0; i < sizeof(synchronous) / sizeof(synchronous[0]); i++)
		if (sigdelset(&all, synchronous[i]) < 0)
			return perror("skiff-tini: sigdelset"), 1;
	if (sigprocmask(SIG_SETMASK, &all, &orig) < 0)
		return perror("skiff-tini: sigprocmask"), 1;
	/* Handing the terminal to the child's group must not stop us. */
	if (sigaction(SIGTTIN, &ign, &ttin) < 0 || sigaction(SIGTTOU, &ign, &ttou) < 0)
		return perror("skiff-tini: sigaction"), 1;

	child = spawn(argv + first, &orig, &ttin, &ttou);
	if (child < 0)
		return perror("skiff-tini: fork"), 1;

	for (;;) {
		struct timespec tick = { .tv_sec = 1 };
		siginfo_t si;
		int code, sig = sigtimedwait(&all, &si, &tick);
		if (sig < 0 && errno != EAGAIN && errno != EINTR)
			return perror("skiff-tini: sigtimedwait"), 1;
		if (sig > 0 && sig != SIGCHLD && kill(child, sig) < 0 && errno != ESRCH)
			fprintf(stderr, "skiff-tini: forwarding signal %d: %s\n", sig, strerror(errno));
		/* Every pass reaps: a SIGCHLD can be merged with others or arrive between waits. */
		code = reap(child);
		if (code >= 0)
			return code;
	}
}
