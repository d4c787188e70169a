/*
 * Docker's json-file log driver: one JSON object per line,
 *   {"log":"<text>","stream":"stdout","time":"<RFC3339Nano>"}
 * with the text split at newlines (each entry keeps its \n) and a line longer than 16 KiB
 * flushed as a partial entry without one, as Docker's copier does. Rotation follows Docker's
 * logfile: before a write, once the file has reached max-size, <log>.N-1 → <log>.N … <log> →
 * <log>.1 and a new file is started (with max-file 1 the file is truncated instead).
 * Writes are synchronous; a failed write drops the entry, never blocks the container.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shim.h"

struct logger {
	int fd;
	char path[PATH_MAX];
	long long size, max_size;
	int max_file;
	unsigned long long dropped;
	struct { size_t len; char data[LOG_LINE_MAX]; } line[2];
};

/* Large enough for one entry: every byte escaped to 6, plus the fixed parts. */
static char entry[LOG_LINE_MAX * 6 + 128];

static int open_log(struct logger *lg, int flags)
{
	struct stat st;
	lg->fd = open(lg->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | flags, 0640);
	if (lg->fd < 0)
		return fail(errno, "open log", "open %s", lg->path);
	if (fstat(lg->fd, &st) < 0) {
		int e = errno;
		close(lg->fd);
		lg->fd = -1;
		return fail(e, "open log", "stat %s", lg->path);
	}
	lg->size = st.st_size;
	return 0;
}

struct logger *logger_open(const char *path, long long max_size, int max_file)
{
	struct logger *lg = calloc(1, sizeof(*lg));
	if (!lg) {
		fail(ENOMEM, "open log", "out of memory");
		return NULL;
	}
	if (strlen(path) >= sizeof(lg->path)) {
		free(lg);
		fail(ENAMETOOLONG, "open log", "path too long");
		return NULL;
	}
	strcpy(lg->path, path);
	lg->max_size = max_size > 0 ? max_size : -1;
	lg->max_file = max_file > 0 ? max_file : 1;
	if (open_log(lg, 0) < 0) {
		free(lg);
		return NULL;
	}
	return lg;
}

static void rotate(struct logger *lg)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	close(lg->fd);
	lg->fd = -1;
	if (lg->max_file >= 2) {
		for (int i = lg->max_file - 1; i > 1; i--) {
			snprintf(from, sizeof(from), "%s.%d", lg->path, i - 1);
			snprintf(to, sizeof(to), "%s.%d", lg->path, i);
			(void)rename(from, to); /* ENOENT: fewer files so far */
		}
		snprintf(to, sizeof(to), "%s.1", lg->path);
		(void)rename(lg->path, to);
	}
	(void)open_log(lg, O_TRUNC);
}

static void emit(struct logger *lg, int stream, const char *data, size_t n)
{
	char ts[48];
	size_t o;
	int len;
	if (lg->max_size > 0 && lg->size >= lg->max_size)
		rotate(lg);
	if (lg->fd < 0 && open_log(lg, 0) < 0) {
		lg->dropped++;
		return;
	}
	memcpy(entry, "{\"log\":\"", 8);
	o = 8 + json_escape(entry + 8, data, n);
	format_time(now_ns(), ts, sizeof(ts));
	len = snprintf(entry + o, sizeof(entry) - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
		       stream ? "stderr" : "stdout", ts);
	o += (size_t)len;
	if (write_all(lg->fd, entry, o) < 0)
		lg->dropped++;
	else
		lg->size += (long long)o;
}

void logger_write(struct logger *lg, int stream, const char *data, size_t n)
{
	typeof(lg->line[0]) *l = &lg->line[stream];
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) + 1 : n;
		if (take > LOG_LINE_MAX - l->len)
			take = LOG_LINE_MAX - l->len;
		if (!l->len && nl && take == (size_t)(nl - data) + 1) {
			emit(lg, stream, data, take); /* a whole line: no copy */
		} else {
			memcpy(l->data + l->len, data, take);
			l->len += take;
			if (l->data[l->len - 1] == '\n' || l->len == LOG_LINE_MAX) {
				emit(lg, stream, l->data, l->len);
				l->len = 0;
			}
		}
		data += take;
		n -= take;
	}
}

void logger_flush(struct logger *lg, int stream)
{
	if (lg->line[stream].len) {
		emit(lg, stream, lg->line[stream].data, lg->line[stream].len);
		lg->line[stream].len = 0;
	}
}

void logger_close(struct logger *lg)
{
	if (!lg)
		return;
	logger_flush(lg, 0);
	logger_flush(lg, 1);
	if (lg->fd >= 0)
		close(lg->fd);
	free(lg);
}
