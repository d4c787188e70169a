/* Small I/O helpers that retry on EINTR and short transfers. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "init.h"

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "write", "open %s", path);
	if (write_all(fd, data, len) < 0) {
		int e = errno;
		close(fd);
		return fail(e, "write", "write %s", path);
	}
	if (close(fd) < 0)
		return fail(errno, "write", "close %s", path);
	return 0;
}
