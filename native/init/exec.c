/* Resolving the executable before the container is reported created, as runc does, so that a
 * missing command fails at create time with `exec: "x": executable file not found in $PATH`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "init.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Go's wording for the errors docker's CLI maps to exit codes 126/127. */
static const char *go_strerror(int err)
{
	switch (err) {
	case ENOENT: return "no such file or directory";
	case EACCES: return "permission denied";
	case EISDIR: return "is a directory";
	case ENOTDIR: return "not a directory";
	default: return strerror(err);
	}
}

static int usable(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

int check_exec(struct child_ctx *ctx)
{
	const char *name, *path = NULL;
	char dir[4096];
	int rc;

	if (!ctx->argv || !ctx->argv[0] || !ctx->argv[0][0])
		return fail(EINVAL, "exec", "no process args");
	name = ctx->argv[0];
	if (strchr(name, '/')) {
		rc = usable(name);
		if (rc < 0)
			return fail(-rc, "exec", "exec: \"%s\": %s", name, go_strerror(-rc));
		snprintf(ctx->exec_path, sizeof(ctx->exec_path), "%s", name);
		return 0;
	}
	for (char **e = ctx->envp; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			path = *e + 5;
	if (!path)
		path = DEFAULT_PATH;
	while (path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, n ? path : ".", name);
		if (usable(dir) == 0) {
			snprintf(ctx->exec_path, sizeof(ctx->exec_path), "%s", dir);
			return 0;
		}
		path = colon ? colon + 1 : NULL;
	}
	return fail(ENOENT, "exec", "exec: \"%s\": executable file not found in $PATH", name);
}
