/*
 * Terminals. The child opens a pty inside the container's devpts, sends the master away (to the
 * --console-socket of the OCI caller, or to skiff-init's parent side in foreground mode), and makes
 * the slave its controlling terminal and stdio. In foreground mode the parent proxies the master
 * to its own stdio, in raw mode, forwarding window size changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "init.h"

int send_fd(int sock, int fd)
{
	if (io_send_fd(sock, fd) < 0)
		return fail(errno, "console", "send the pty master");
	return 0;
}

int recv_fd(int sock)
{
	int fd = io_recv_fd(sock);
	if (fd < 0)
		return fail(errno, "console", errno == EPROTO ? "no fd with the console message" : "receive the pty master");
	return fd;
}

int setup_console(struct child_ctx *ctx, unsigned rows, unsigned cols)
{
	int master, slave, unlock = 0;
	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return fail(errno, "console", "open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return fail(errno, "console", "unlock pty");
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return fail(errno, "console", "open pty slave");
	if (rows && cols) {
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return fail(errno, "console", "set window size");
	}
	if (ctx->console_fd >= 0) {
		if (send_fd(ctx->console_fd, master) < 0)
			return -1;
		close(ctx->console_fd);
		ctx->console_fd = -1;
	} else {
		struct sync_msg msg = { .type = SYNC_CONSOLE };
		if (write_all(ctx->sync_fd, &msg, sizeof(msg)) < 0)
			return fail(errno, "console", "announce the pty master");
		if (send_fd(ctx->sync_fd, master) < 0)
			return -1;
	}
	close(master);
	if (setsid() < 0)
		return fail(errno, "console", "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return fail(errno, "console", "set controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return fail(errno, "console", "dup2 pty slave");
	if (slave > 2)
		close(slave);
	return 0;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(to, TIOCSWINSZ, &ws);
}

static int pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN) ? 1 : 0;
	return write_all(to, buf, (size_t)n) < 0 ? 0 : 1;
}

int proxy_terminal(int master, int sigfd, pid_t child, int *status)
{
	struct termios saved, raw;
	int is_tty = isatty(0), in_open = 1, out_open = 1, exited = 0;
	if (is_tty && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		raw.c_oflag |= OPOST; /* keep output post-processing like docker's raw mode */
		(void)tcsetattr(0, TCSANOW, &raw);
		copy_winsize(0, master);
	} else {
		is_tty = 0;
	}
	while (out_open || !exited) {
		struct pollfd p[3] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = out_open ? master : -1, .events = POLLIN },
			{ .fd = in_open && out_open ? 0 : -1, .events = POLLIN },
		};
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH && is_tty)
					copy_winsize(0, master);
				else if (si.ssi_signo == SIGCHLD) {
					if (waitpid(child, status, WNOHANG) == child)
						exited = 1;
				} else
					kill(child, (int)si.ssi_signo);
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			out_open = pump(master, 1);
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
			in_open = pump(0, master);
		if (exited && !(p[1].revents & POLLIN))
			out_open = 0;
	}
	if (is_tty)
		(void)tcsetattr(0, TCSANOW, &saved);
	close(master);
	return 0;
}
