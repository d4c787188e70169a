/*
 * Connections on shim.sock. A connection sends requests and gets one reply each; WAIT parks it
 * until the process exits; ATTACH (or EXEC with attach flags) turns it into a stream: output
 * frames out, stdin/close-stdin/resize frames in, and an EXIT frame last. Output for a client
 * that falls CLIENT_OUT_MAX behind drops that client, never blocks the container; stdin that a
 * process does not read stops reading from its clients once STDIN_MAX is buffered.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "shim.h"

enum mode { C_FREE, C_REQUEST, C_WAIT, C_ATTACH };

static const char *const code_names[] = {
	[E_INTERNAL] = "internal", [E_NOT_FOUND] = "not-found", [E_CONFLICT] = "conflict",
	[E_INVALID] = "invalid-argument", [E_INIT] = "init",
};

struct client {
	int fd;
	enum mode mode;
	struct proc *proc; /* wait or attach target */
	int flags;
	int closing;       /* close once the output is written */
	int blocked;       /* a stdin frame waits for room in its process's buffer */
	struct buf in, out;
};

static struct client cl[MAX_CLIENTS];

static void drop(struct client *c)
{
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	memset(c, 0, sizeof(*c));
	c->mode = C_FREE;
}

void clients_accept(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK), i;
		if (fd < 0)
			return; /* EAGAIN, or a transient error: the listener stays */
		for (i = 0; i < MAX_CLIENTS && cl[i].mode != C_FREE; i++)
			;
		if (i == MAX_CLIENTS) {
			close(fd);
			continue;
		}
		cl[i] = (struct client){ .fd = fd, .mode = C_REQUEST };
	}
}

void clients_poll_add(struct pollfd *pfds, int *tags, int *n, int tag_base)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &cl[i];
		short ev = 0;
		if (c->mode == C_FREE)
			continue;
		if (!c->closing && !c->blocked && c->in.len < MAX_FRAME + 4)
			ev |= POLLIN;
		if (c->out.len)
			ev |= POLLOUT;
		pfds[*n] = (struct pollfd){ .fd = c->fd, .events = ev };
		tags[(*n)++] = tag_base + i;
	}
}

static int reply_error(struct client *c, int code)
{
	char obj[sizeof(g_err.report) + 64];
	struct frame f;
	error_json(&g_err, obj, sizeof(obj));
	frame_begin(&f, &c->out, MSG_ERROR, CLIENT_OUT_MAX);
	frame_str(&f, code_names[code]);
	frame_str(&f, obj);
	return frame_end(&f);
}

/* A frame on an attached connection: stdin, close-stdin, resize. No replies on a stream. */
static int stream_frame(struct client *c, int type, const struct fields *fl)
{
	struct proc *p = c->proc;
	long long a, b;
	if (type == MSG_STDIN && fl->n == 1) {
		if (!(c->flags & ATTACH_STDIN) || p->in < 0 || p->in_closing)
			return 0; /* nobody reads it: dropped, like a write to a closed stdin */
		if (fl->f[0].len > STDIN_MAX - p->inbuf.len)
			return -E_BLOCKED;
		if (buf_reserve(&p->inbuf, fl->f[0].len, STDIN_MAX) < 0)
			return -E_BLOCKED;
		memcpy(p->inbuf.data + p->inbuf.len, fl->f[0].data, fl->f[0].len);
		p->inbuf.len += fl->f[0].len;
		proc_stdin_flush(p);
	} else if (type == MSG_CLOSE_STDIN) {
		if (c->flags & ATTACH_STDIN) {
			p->in_closing = 1;
			proc_stdin_flush(p);
		}
	} else if (type == MSG_RESIZE && !field_int(fl, 0, &a) && !field_int(fl, 1, &b)) {
		struct winsize ws = { .ws_row = (unsigned short)a, .ws_col = (unsigned short)b };
		if (p->terminal && p->out[0] >= 0)
			(void)ioctl(p->out[0], TIOCSWINSZ, &ws);
	}
	return 0;
}

static void process(struct client *c)
{
	while (c->mode == C_REQUEST || c->mode == C_ATTACH) {
		struct fields fl;
		struct frame f;
		struct req_result res;
		uint32_t len;
		int type, r;
		if (c->closing || c->in.len < 5)
			return;
		len = frame_length(c->in.data);
		if (len < 1 || len > MAX_FRAME) {
			drop(c);
			return;
		}
		if (c->in.len < 4 + len)
			return;
		type = (unsigned char)c->in.data[4];
		if (fields_parse(c->in.data + 5, len - 1, &fl) < 0) {
			if (reply_error(c, E_INVALID) < 0)
				return drop(c);
			c->closing = 1;
			return;
		}
		if (c->mode == C_ATTACH) {
			if (stream_frame(c, type, &fl) == -E_BLOCKED) {
				c->blocked = 1;
				return;
			}
			buf_consume(&c->in, 4 + len);
			continue;
		}
		frame_begin(&f, &c->out, MSG_OK, CLIENT_OUT_MAX);
		memset(&res, 0, sizeof(res));
		r = handle_request(type, &fl, &f, &res);
		buf_consume(&c->in, 4 + len);
		if (res.wait) {
			c->mode = C_WAIT;
			c->proc = res.wait;
		} else if (res.attach) {
			c->mode = C_ATTACH;
			c->proc = res.attach;
			c->flags = res.flags;
		}
		c->closing |= res.close;
		if (r > 0) {
			/* parked (wait): drop the OK frame we began; the reply comes at the exit */
			f.err = -1;
			frame_end(&f);
			return;
		}
		if (r < 0) {
			f.err = -1;
			frame_end(&f);
			if (reply_error(c, -r) < 0)
				return drop(c);
			continue;
		}
		if (frame_end(&f) < 0)
			return drop(c);
		if (c->mode == C_ATTACH && c->proc->status == PROC_STOPPED) {
			/* attached to a process that already exited: only its exit status is left */
			frame_begin(&f, &c->out, MSG_EXIT, CLIENT_OUT_MAX);
			exit_fields(&f, c->proc);
			if (frame_end(&f) < 0)
				return drop(c);
			c->closing = 1;
		}
	}
}

static int flush_out(struct client *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -1;
		}
		buf_consume(&c->out, (size_t)n);
	}
	return 0;
}

void clients_handle(int idx, short revents)
{
	struct client *c = &cl[idx];
	if (c->mode == C_FREE)
		return;
	if ((revents & POLLOUT) && flush_out(c) < 0)
		return drop(c);
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n;
		if (c->closing && !(revents & POLLIN))
			return drop(c);
		if (buf_reserve(&c->in, 16384, MAX_FRAME + 4 + 16384) < 0)
			return drop(c);
		n = read(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return drop(c);
		if (n > 0)
			c->in.len += (size_t)n;
		if (!c->in.len)
			buf_free(&c->in);
		process(c);
		if (c->mode == C_FREE)
			return;
	}
	if (c->closing && !c->out.len)
		drop(c);
}

void clients_output(struct proc *p, int stream, const char *data, size_t n)
{
	int want = stream ? ATTACH_STDERR : ATTACH_STDOUT;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &cl[i];
		struct frame f;
		if (c->mode != C_ATTACH || c->proc != p || !(c->flags & want))
			continue;
		frame_begin(&f, &c->out, stream ? MSG_STDERR : MSG_STDOUT, CLIENT_OUT_MAX);
		frame_bytes(&f, data, n);
		if (frame_end(&f) < 0)
			drop(c); /* too far behind: the container is never held up for it */
	}
}

void clients_exited(struct proc *p)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &cl[i];
		struct frame f;
		if (c->proc != p || (c->mode != C_ATTACH && c->mode != C_WAIT))
			continue;
		frame_begin(&f, &c->out, c->mode == C_ATTACH ? MSG_EXIT : MSG_OK, CLIENT_OUT_MAX);
		exit_fields(&f, p);
		if (frame_end(&f) < 0) {
			drop(c);
			continue;
		}
		if (c->mode == C_ATTACH) {
			c->closing = 1;
		} else {
			c->mode = C_REQUEST;
			c->proc = NULL;
			process(c);
		}
	}
}

void clients_unblock(void)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (cl[i].mode != C_FREE && cl[i].blocked) {
			cl[i].blocked = 0;
			process(&cl[i]);
		}
	}
}

void clients_detach_proc(struct proc *p)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (cl[i].mode != C_FREE && cl[i].proc == p)
			drop(&cl[i]);
}

void clients_flush_all(void)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (cl[i].mode != C_FREE) {
			(void)flush_out(&cl[i]);
			drop(&cl[i]);
		}
}
