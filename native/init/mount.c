/*
 * Mount steps. Before pivot_root, destinations are resolved inside the rootfs with
 * openat2(RESOLVE_IN_ROOT) so that a symlink in an untrusted image cannot redirect a mount
 * onto the host; the mount then targets the resolved /proc/self/fd/N, as runc does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "init.h"

static int openat2_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Opens (O_PATH) path inside root, creating missing directories (and the last component as a
 * file when as_file) on the way. Returns the fd or -1 with errno set. */
static int resolve_in_root(int rootfd, const char *path, int create, int as_file)
{
	char buf[4096], *p, *slash;
	int fd = openat2_in_root(rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT || !create)
		return fd;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf; *p == '/'; p++)
		;
	for (;;) {
		int last, pfd;
		slash = strchr(p, '/');
		last = slash == NULL || slash[strspn(slash, "/")] == 0;
		if (slash)
			*slash = 0;
		fd = openat2_in_root(rootfd, buf, O_PATH);
		if (fd < 0 && errno == ENOENT) {
			char *base = strrchr(buf, '/');
			const char *name = base ? base + 1 : buf;
			if (base) {
				*base = 0;
				pfd = openat2_in_root(rootfd, buf, O_PATH | O_DIRECTORY);
				*base = '/';
			} else {
				pfd = dup(rootfd);
			}
			if (pfd < 0)
				return -1;
			if (last && as_file) {
				int f = openat(pfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (f >= 0)
					close(f);
				else if (errno != EEXIST) {
					int e = errno;
					close(pfd);
					errno = e;
					return -1;
				}
			} else if (mkdirat(pfd, name, 0755) < 0 && errno != EEXIST) {
				int e = errno;
				close(pfd);
				errno = e;
				return -1;
			}
			close(pfd);
			fd = openat2_in_root(rootfd, buf, O_PATH);
		}
		if (fd < 0)
			return -1;
		if (last)
			return fd;
		close(fd);
		*slash = '/';
		p = slash + 1;
	}
}

int op_mount(const struct op *op)
{
	const char *src = arg_str(op, 0), *dst = arg_str(op, 1), *type = arg_str(op, 2), *data = arg_str(op, 4);
	unsigned long flags = (unsigned long)arg_u64(op, 3);
	if (mount(*src ? src : NULL, dst, *type ? type : NULL, flags, *data ? data : NULL) < 0)
		return fail(errno, "mount", "mount %s to %s (type %s, flags 0x%lx, data \"%s\")",
			    *src ? src : "none", dst, *type ? type : "none", flags, data);
	return 0;
}

int op_mount_in_root(const struct op *op)
{
	const char *root = arg_str(op, 0), *dst = arg_str(op, 1), *src = arg_str(op, 2), *type = arg_str(op, 3);
	const char *data = arg_str(op, 5);
	unsigned long flags = (unsigned long)arg_u64(op, 4);
	int create = (int)arg_int(op, 6);
	char target[64];
	int rootfd, fd, rc;

	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fail(errno, "mount", "open rootfs %s", root);
	fd = resolve_in_root(rootfd, dst, create != 0, create == 2);
	if (fd < 0) {
		int e = errno;
		close(rootfd);
		return fail(e, "mount", "mountpoint for %s mount %s", *type ? type : "bind", dst);
	}
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	rc = mount(*src ? src : NULL, target, *type ? type : NULL, flags, *data ? data : NULL);
	if (rc < 0)
		fail(errno, "mount", "mount %s to %s%s (type %s, flags 0x%lx, data \"%s\")", *src ? src : "none",
		     root, dst, *type ? type : "none", flags, data);
	close(fd);
	close(rootfd);
	return rc;
}

static int parent_in_root(const char *root, const char *path, int *rootfd, const char **base)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;
	*rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*rootfd < 0)
		return -1;
	if (!slash) {
		*base = path;
		return dup(*rootfd);
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	*base = slash + 1;
	fd = resolve_in_root(*rootfd, dir, 1, 0);
	return fd;
}

int op_mknod(const struct op *op)
{
	const char *base, *path = arg_str(op, 1);
	mode_t mode = (mode_t)arg_int(op, 2);
	dev_t dev = makedev((unsigned)arg_int(op, 3), (unsigned)arg_int(op, 4));
	int rootfd, dirfd = parent_in_root(arg_str(op, 0), path, &rootfd, &base), rc = 0;

	if (dirfd < 0) {
		rc = fail(errno, "devices", "open parent of %s", path);
		goto out;
	}
	if (mknodat(dirfd, base, mode, dev) < 0 && errno != EEXIST) {
		rc = fail(errno, "devices", "mknod %s", path);
		goto out;
	}
	if (fchownat(dirfd, base, (uid_t)arg_int(op, 5), (gid_t)arg_int(op, 6), AT_SYMLINK_NOFOLLOW) < 0) {
		rc = fail(errno, "devices", "chown %s", path);
		goto out;
	}
	/* mknod honours the umask; the plan's mode is what the config asked for. */
	{
		char p[64];
		int fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
			if (chmod(p, mode & 07777) < 0)
				rc = fail(errno, "devices", "chmod %s", path);
			close(fd);
		}
	}
out:
	if (dirfd >= 0)
		close(dirfd);
	if (rootfd >= 0)
		close(rootfd);
	return rc;
}

int op_symlink(const struct op *op)
{
	const char *base, *link = arg_str(op, 2);
	int rootfd, dirfd = parent_in_root(arg_str(op, 0), link, &rootfd, &base), rc = 0;
	if (dirfd < 0)
		rc = fail(errno, "symlink", "open parent of %s", link);
	else if (symlinkat(arg_str(op, 1), dirfd, base) < 0 && errno != EEXIST)
		rc = fail(errno, "symlink", "symlink %s -> %s", link, arg_str(op, 1));
	if (dirfd >= 0)
		close(dirfd);
	if (rootfd >= 0)
		close(rootfd);
	return rc;
}

int op_pivot_root(const char *root)
{
	int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	int newroot = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	int rc = 0;
	if (oldroot < 0 || newroot < 0) {
		rc = fail(errno, "pivot_root", "open %s", oldroot < 0 ? "/" : root);
		goto out;
	}
	if (fchdir(newroot) < 0) {
		rc = fail(errno, "pivot_root", "chdir %s", root);
		goto out;
	}
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		rc = fail(errno, "pivot_root", "pivot_root %s", root);
		goto out;
	}
	/* The old root is now stacked under "."; detach it without propagating to the host. */
	if (fchdir(oldroot) < 0) {
		rc = fail(errno, "pivot_root", "chdir old root");
		goto out;
	}
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
		rc = fail(errno, "pivot_root", "make old root rslave");
		goto out;
	}
	if (umount2(".", MNT_DETACH) < 0) {
		rc = fail(errno, "pivot_root", "detach old root");
		goto out;
	}
	if (chdir("/") < 0)
		rc = fail(errno, "pivot_root", "chdir /");
out:
	if (oldroot >= 0)
		close(oldroot);
	if (newroot >= 0)
		close(newroot);
	return rc;
}

int op_mask_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail(errno, "masked path", "stat %s", path);
	}
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k") < 0)
			return fail(errno, "masked path", "mask %s", path);
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		return fail(errno, "masked path", "mask %s", path);
	}
	return 0;
}

int op_readonly_path(const char *path)
{
	struct statvfs sv;
	unsigned long keep = 0;
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail(errno, "readonly path", "bind %s", path);
	}
	if (statvfs(path, &sv) < 0)
		return fail(errno, "readonly path", "statvfs %s", path);
	keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC);
	if (mount(path, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
		return fail(errno, "readonly path", "remount %s read-only", path);
	return 0;
}
