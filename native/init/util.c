/* Writing a whole file, for the plan's file writes (write_all/read_all are in common/io.c). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "init.h"

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
