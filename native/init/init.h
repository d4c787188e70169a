/*
 * skiff-init: executes a plan (see common/plan.h). Every fallible function returns a negative
 * value and fills the one error struct with the step that failed and errno, as crun does; the
 * failing child writes that struct to the sync socket before _exit, so the caller always learns why.
 */
#ifndef SKIFF_INIT_H
#define SKIFF_INIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "plan.h"
#include "io.h"

struct arg {
	uint32_t len;
	char *data; /* NUL-terminated copy (data[len] == 0) */
};

struct op {
	uint16_t code;
	uint16_t nargs;
	struct arg *args;
};

struct plan {
	struct op *ops;
	size_t nops;
};

struct init_error {
	int err;           /* errno, 0 if none */
	char step[256];
	char message[768];
};

/* Records sent from the child to the parent over the sync socket. */
enum sync_type { SYNC_READY = 1, SYNC_ERROR = 2, SYNC_CONSOLE = 3 };

struct sync_msg {
	int type;
	struct init_error error;
};

extern struct init_error g_err;

int fail(int err, const char *step, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int plan_read(int fd, struct plan *plan);
int64_t arg_int(const struct op *op, size_t i);
uint64_t arg_u64(const struct op *op, size_t i);
const char *arg_str(const struct op *op, size_t i);

/* Context the child's ops need. */
struct child_ctx {
	int sync_fd;          /* socket to the parent */
	int console_fd;       /* connected console socket, or -1 (send the master to the parent) */
	int fifo_dirfd;       /* directory of the exec fifo, or -1 */
	const char *fifo_name;
	char **argv;
	char **envp;
	char exec_path[4096];
	int preserve_fds;
};

int run_child_op(struct child_ctx *ctx, const struct op *op);

/* mount.c */
int op_mount(const struct op *op);
int op_mount_in_root(const struct op *op);
int op_mknod(const struct op *op);
int op_symlink(const struct op *op);
int op_pivot_root(const char *root);
int op_mask_path(const char *path);
int op_readonly_path(const char *path);

/* security.c */
int op_caps_bounding(uint64_t keep);
int op_user(const struct op *op);
int op_caps(const struct op *op);
int op_seccomp(const struct op *op);

/* console.c */
int setup_console(struct child_ctx *ctx, unsigned rows, unsigned cols);
int send_fd(int sock, int fd);
int recv_fd(int sock);
int proxy_terminal(int master, int sigfd, pid_t child, int *status);

/* exec.c */
int check_exec(struct child_ctx *ctx);

/* util */
int write_file(const char *path, const char *data, size_t len);

#endif
