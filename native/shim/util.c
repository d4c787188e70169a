/* Helpers: the error struct, I/O that retries, time and JSON formatting, unix sockets. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "shim.h"

struct shim_error g_err;

int fail(int err, const char *step, const char *fmt, ...)
{
	va_list ap;
	g_err.err = err;
	g_err.report[0] = 0;
	snprintf(g_err.step, sizeof(g_err.step), "%s", step);
	va_start(ap, fmt);
	vsnprintf(g_err.message, sizeof(g_err.message), fmt, ap);
	va_end(ap);
	return -1;
}

void error_json(const struct shim_error *e, char *out, size_t cap)
{
	char step[sizeof(e->step) * 6], msg[sizeof(e->message) * 6], se[256 * 6];
	const char *s = e->err ? strerror(e->err) : "";
	if (e->report[0]) {
		snprintf(out, cap, "%s", e->report);
		return;
	}
	step[json_escape(step, e->step, strlen(e->step))] = 0;
	msg[json_escape(msg, e->message, strlen(e->message))] = 0;
	se[json_escape(se, s, strnlen(s, 255))] = 0;
	snprintf(out, cap, "{\"step\":\"%s\",\"errno\":%d,\"message\":\"%s\",\"strerror\":\"%s\"}",
		 step, e->err, msg, se);
}

int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return fail(errno, "fcntl", "O_NONBLOCK on fd %d", fd);
	return 0;
}

int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Go's time.RFC3339Nano in UTC, as Docker writes it: trailing zeros of the fraction dropped. */
void format_time(int64_t ns, char *out, size_t cap)
{
	time_t sec = (time_t)(ns / 1000000000LL);
	long frac = (long)(ns % 1000000000LL);
	struct tm tm;
	char f[16] = "";
	gmtime_r(&sec, &tm);
	if (frac) {
		int n;
		snprintf(f, sizeof(f), ".%09ld", frac);
		for (n = (int)strlen(f); f[n - 1] == '0'; n--)
			f[n - 1] = 0;
	}
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, f);
}

/* Length of a valid UTF-8 sequence at s (as Go's utf8.DecodeRune accepts it), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t len, i;
	if (c >= 0xc2 && c <= 0xdf) { len = 2; v = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; v = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; v = c & 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) || (len == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return len;
}

/*
 * JSON string body escaped as Docker's json-file writer does: \" \\ \n \r, other controls and
 * < > & as \u00XX, invalid UTF-8 as \ufffd, U+2028/2029 escaped. out must hold 6 * n bytes.
 */
size_t json_escape(char *out, const char *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;
	while (i < n) {
		unsigned char b = s[i];
		if (b < 0x80) {
			if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
				out[o++] = (char)b;
			} else if (b == '\\' || b == '"') {
				out[o++] = '\\';
				out[o++] = (char)b;
			} else if (b == '\n') {
				out[o++] = '\\';
				out[o++] = 'n';
			} else if (b == '\r') {
				out[o++] = '\\';
				out[o++] = 'r';
			} else {
				memcpy(out + o, "\\u00", 4);
				out[o + 4] = hex[b >> 4];
				out[o + 5] = hex[b & 15];
				o += 6;
			}
			i++;
			continue;
		}
		unsigned cp = 0;
		size_t len = utf8_len(s + i, n - i, &cp);
		if (!len) {
			memcpy(out + o, "\\ufffd", 6);
			o += 6;
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			memcpy(out + o, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += len;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	return o;
}

int listen_unix(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;
	if (strlen(path) >= sizeof(addr.sun_path))
		return fail(ENAMETOOLONG, "listen", "socket path too long: %s", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return fail(errno, "listen", "socket");
	if (unlink(path) < 0 && errno != ENOENT) {
		close(fd);
		return fail(errno, "listen", "unlink %s", path);
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0600) < 0 || listen(fd, 64) < 0) {
		int e = errno;
		close(fd);
		return fail(e, "listen", "bind %s", path);
	}
	return fd;
}

int recv_fd(int sock)
{
	int fd = io_recv_fd(sock);
	if (fd < 0)
		return fail(errno, "console", errno == EPROTO ? "no fd with the console message" : "receive the pty master");
	return fd;
}

/* Write to a temp file beside path, fsync, rename: readers see the old or the new file. */
int write_file_atomic(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	int fd;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(errno, "write state", "open %s", tmp);
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return fail(e, "write state", "write %s", tmp);
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return fail(e, "write state", "rename %s", path);
	}
	return 0;
}

int buf_reserve(struct buf *b, size_t extra, size_t max)
{
	size_t want = b->len + extra, cap = b->cap ? b->cap : 4096;
	char *p;
	if (want > max)
		return -1;
	if (want <= b->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	if (cap > max)
		cap = max;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Drops n bytes from the front; an emptied buffer gives its memory back. */
void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_free(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
